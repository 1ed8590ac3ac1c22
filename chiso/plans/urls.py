from django.urls import path

from . import edit_views, lifecycle_views, start_views, views

app_name = "plans"
urlpatterns = [
    # starting a plan
    path("moi/", start_views.new, name="new"),
    path("moi/tu-ket-qua/", start_views.from_results, name="start_results"),
    path("moi/tu-ke-hoach/", start_views.from_plan, name="start_previous"),
    path("moi/de-trong/", start_views.blank, name="start_blank"),
    path("mau-van-ban/", lifecycle_views.body_template, name="body_template"),
    # reading
    path("<str:public_id>/", views.plan_detail, name="detail"),
    path("<str:public_id>/gap/", views.plan_gap, name="gap"),
    path("<str:public_id>/nhiem-vu.xlsx", views.plan_tasks_xlsx, name="tasks_xlsx"),
    # writing in place (htmx)
    path("<str:public_id>/soan/", edit_views.plan_edit, name="edit"),
    path("<str:public_id>/soan/phan-chung/", edit_views.heading_save, name="heading_save"),
    path("<str:public_id>/soan/bang/<int:position>/them-dong/", edit_views.item_add, name="item_add"),
    path("<str:public_id>/soan/dong/<str:item_id>/", edit_views.item_save, name="item_save"),
    path("<str:public_id>/soan/dong/<str:item_id>/chuyen/", edit_views.item_move, name="item_move"),
    path("<str:public_id>/soan/dong/<str:item_id>/xoa/", edit_views.item_remove, name="item_remove"),
    path("<str:public_id>/soan/dong/<str:item_id>/them-nhiem-vu/", edit_views.task_add, name="task_add"),
    path("<str:public_id>/soan/nhiem-vu/<str:task_id>/", edit_views.task_save, name="task_save"),
    path("<str:public_id>/soan/nhiem-vu/<str:task_id>/chuyen/", edit_views.task_move, name="task_move"),
    path("<str:public_id>/soan/nhiem-vu/<str:task_id>/giu/", edit_views.task_keep, name="task_keep"),
    path("<str:public_id>/soan/nhiem-vu/<str:task_id>/xoa/", edit_views.task_remove, name="task_remove"),
    path("<str:public_id>/soan/nhiem-vu/<str:task_id>/hoan-tac/", edit_views.task_undo, name="task_undo"),
    path("<str:public_id>/soan/nhiem-vu/<str:task_id>/don-vi/", edit_views.assignment_add, name="assignment_add"),
    path("<str:public_id>/soan/don-vi/<str:assignment_id>/xoa/", edit_views.assignment_remove,
         name="assignment_remove"),
    path("<str:public_id>/soan/hoan-tac/", edit_views.undo, name="undo"),
    path("<str:public_id>/soan/nhiem-vu/<str:task_id>/goi-y-don-vi/", edit_views.unit_suggest, name="unit_suggest"),
    path("<str:public_id>/soan/thoi-han/", edit_views.deadline_check, name="deadline_check"),
    # the life of the plan
    path("<str:public_id>/trinh/", lifecycle_views.submit, name="submit"),
    path("<str:public_id>/tra-lai/", lifecycle_views.send_back, name="send_back"),
    path("<str:public_id>/ban-hanh/", lifecycle_views.issue, name="issue"),
    path("<str:public_id>/dieu-chinh/", lifecycle_views.amend, name="amend"),
    path("<str:public_id>/xoa-du-thao/", lifecycle_views.discard, name="discard"),
    path("<str:public_id>/so-sanh/", lifecycle_views.diff, name="diff"),
    path("<str:public_id>/lich-su/", lifecycle_views.history, name="history"),
    path("<str:public_id>/ban-ky/<str:edition_id>.pdf", lifecycle_views.signed_pdf, name="signed_pdf"),
    path("<str:public_id>/van-ban.docx", lifecycle_views.body_docx, name="body_docx"),
]
