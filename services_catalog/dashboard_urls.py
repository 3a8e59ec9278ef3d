"""Staff and provider dashboards, mounted at /<lang>/dashboard/services/
(namespace `services_catalog-dashboard`). Staff pages need the named ability of
each step (core.permissions); provider pages
(under provider/) need a provider profile and show only that provider's jobs."""

from django.urls import path

from services_catalog import dashboard_views as staff
from services_catalog import provider_views as provider

app_name = "services_catalog-dashboard"
urlpatterns = [
    # Staff
    path("", staff.job_list, name="job-list"),
    path("jobs/<str:number>/", staff.job_detail, name="job-detail"),
    path("jobs/<str:number>/quote/", staff.job_quote, name="job-quote"),
    path("jobs/<str:number>/not-feasible/", staff.job_not_feasible, name="job-not-feasible"),
    path("jobs/<str:number>/reassign/", staff.job_reassign, name="job-reassign"),
    path("jobs/<str:number>/dispatch/", staff.job_dispatch, name="job-dispatch"),
    path("jobs/<str:number>/accept-for-caller/", staff.job_accept_for_caller, name="job-accept-for-caller"),
    path("jobs/<str:number>/cash/", staff.job_cash, name="job-cash"),
    path("jobs/<str:number>/cash-refund/", staff.job_cash_refund, name="job-cash-refund"),
    path("jobs/<str:number>/cancel/", staff.job_cancel, name="job-cancel"),
    path("warranty/", staff.warranty_list, name="warranty-list"),
    path("warranty/<int:pk>/confirm/", staff.warranty_confirm, name="warranty-confirm"),
    path("warranty/<int:pk>/reject/", staff.warranty_reject, name="warranty-reject"),
    path("complaints/", staff.complaint_list, name="complaint-list"),
    path("complaints/<int:pk>/", staff.complaint_detail, name="complaint-detail"),
    path("providers/", staff.provider_list, name="provider-list"),
    path("providers/<int:pk>/reinstate/", staff.provider_reinstate, name="provider-reinstate"),
    path("intake/", staff.intake, name="intake"),
    path("intake/<int:user_id>/", staff.intake_customer, name="intake-customer"),
    # Providers
    path("provider/", provider.job_list, name="provider-jobs"),
    path("provider/jobs/<str:number>/", provider.job_detail, name="provider-job-detail"),
    path("provider/jobs/<str:number>/quote/", provider.job_quote, name="provider-job-quote"),
    path("provider/jobs/<str:number>/not-feasible/", provider.job_not_feasible, name="provider-job-not-feasible"),
    path("provider/jobs/<str:number>/decline/", provider.job_decline, name="provider-job-decline"),
    path("provider/jobs/<str:number>/dispatch/", provider.job_dispatch, name="provider-job-dispatch"),
    path("provider/jobs/<str:number>/start/", provider.job_start, name="provider-job-start"),
    path("provider/jobs/<str:number>/work-done/", provider.job_work_done, name="provider-job-work-done"),
    path("provider/jobs/<str:number>/change-orders/", provider.job_change_order, name="provider-job-change-order"),
    path("provider/jobs/<str:number>/complete/", provider.job_complete, name="provider-job-complete"),
    path("provider/jobs/<str:number>/rate/", provider.job_rate, name="provider-job-rate"),
    path("provider/jobs/<str:number>/documents/<int:pk>/", provider.document_mark, name="provider-document-mark"),
    path("provider/calendar/", provider.calendar, name="provider-calendar"),
    path("provider/availability/", provider.availability, name="provider-availability"),
    path("provider/earnings/", provider.earnings, name="provider-earnings"),
    path("provider/ratings/", provider.ratings, name="provider-ratings"),
]
