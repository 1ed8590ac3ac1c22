from django.db import migrations


def fill_public_ids(apps, schema_editor):
    """Rows that existed before get a random public id each (a callable default would give
    them all the same one)."""
    from chiso.core.ids import new_public_id

    for name in ("PlanItem", "Assignment"):
        model = apps.get_model("plans", name)
        rows = list(model._base_manager.filter(public_id__isnull=True).only("pk"))
        for row in rows:
            row.public_id = new_public_id()
        model._base_manager.bulk_update(rows, ["public_id"], batch_size=500)


class Migration(migrations.Migration):
    """Separate from the schema changes around it: on PostgreSQL, updating rows and altering
    their table in one transaction fails on the deferred foreign-key checks."""

    dependencies = [("plans", "0003_authoring")]

    operations = [migrations.RunPython(fill_public_ids, migrations.RunPython.noop)]
