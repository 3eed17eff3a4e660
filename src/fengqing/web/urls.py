from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (auditlog, dashboard, reading, rectify, records, report, session, submission, supervision,
                    transfer)

app_name = "web"

urlpatterns = [
    path("", session.home, name="home"),
    path("login/", session.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("switch/", session.unit_switch, name="unit_switch"),
    path("static/<path:path>", session.static, name="static"),
    path("overview/", dashboard.overview, name="overview"),
    path("overview/report/<slug:fmt>/", supervision.overview_report, name="overview_report"),
    path("reading/", reading.reading, name="reading"),
    path("submissions/", submission.submissions, name="submissions"),
    path("submissions/deadline/", submission.deadline, name="submission_deadline"),
    path("submissions/all.zip", submission.submissions_zip, name="submissions_zip"),
    path("audit/", auditlog.audit_log, name="audit"),
    path("template.xlsx", transfer.template_download, name="template"),
    path("u/<int:unit>/", dashboard.dashboard, name="dashboard"),
    path("u/<int:unit>/accept/", dashboard.accept, name="accept"),
    path("u/<int:unit>/records/<slug:kind>/", records.record_list, name="records"),
    path("u/<int:unit>/records/<slug:kind>/export.xlsx", records.record_export, name="record_export"),
    path("u/<int:unit>/records/<slug:kind>/new/", records.record_form, name="record_new"),
    path("u/<int:unit>/records/<slug:kind>/<int:pk>/", records.record_form, name="record_edit"),
    path("u/<int:unit>/records/<slug:kind>/<int:pk>/delete/", records.record_delete, name="record_delete"),
    path("u/<int:unit>/transfer/", transfer.transfer, name="transfer"),
    path("u/<int:unit>/transfer/confirm/", transfer.import_confirm, name="import_confirm"),
    path("u/<int:unit>/export.xlsx", transfer.export_download, name="export"),
    path("u/<int:unit>/problems/", rectify.problems, name="problems"),
    path("u/<int:unit>/problems/export.xlsx", rectify.problems_export, name="problems_export"),
    path("u/<int:unit>/measures/<int:pk>/status/", rectify.measure_status, name="measure_status"),
    path("u/<int:unit>/measures/<int:pk>/evidence/", rectify.evidence_upload, name="evidence_upload"),
    path("u/<int:unit>/evidence/<int:pk>/", rectify.evidence_download, name="evidence"),
    path("u/<int:unit>/evidence/<int:pk>/delete/", rectify.evidence_delete, name="evidence_delete"),
    path("u/<int:unit>/report/", report.report, name="report"),
    path("u/<int:unit>/report/narrative/", report.narrative, name="narrative"),
    path("u/<int:unit>/report/signoff/", report.signoff, name="signoff"),
    path("u/<int:unit>/report/signoff/withdraw/", report.signoff_withdraw, name="signoff_withdraw"),
    path("u/<int:unit>/report/download/<slug:fmt>/", report.download, name="report_download"),
    path("u/<int:unit>/report/facts/<str:fact_id>/", report.fact, name="report_fact"),
    path("u/<int:unit>/submission/", submission.unit_page, name="submission"),
    path("u/<int:unit>/submission/submit/", submission.submit, name="submission_submit"),
    path("u/<int:unit>/submission/return/", submission.send_back, name="submission_return"),
    path("u/<int:unit>/submission/<int:pk>/", submission.download, name="submission_download"),
]
