import chiso.core.ids
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("plans", "0004_public_ids_filled")]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="public_id",
            field=models.CharField(default=chiso.core.ids.new_public_id, editable=False, max_length=16, unique=True),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="public_id",
            field=models.CharField(default=chiso.core.ids.new_public_id, editable=False, max_length=16, unique=True),
        ),
    ]
