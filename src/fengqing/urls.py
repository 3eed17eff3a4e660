from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "风清 · 系统管理"
admin.site.index_title = "用户、单位与角色"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("fengqing.web.urls")),
]

handler400 = "fengqing.web.errors.bad_request"
handler403 = "fengqing.web.errors.permission_denied"
handler404 = "fengqing.web.errors.page_not_found"
handler500 = "fengqing.web.busy.server_error"  # 503 系统正忙 for a locked database, else errors.server_error
