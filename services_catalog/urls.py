"""Storefront URLs, mounted at /<lang>/services/ (namespace `services_catalog`)."""

from django.urls import path

from services_catalog import views

app_name = "services_catalog"
urlpatterns = [
    path("", views.service_list, name="service-list"),
    # The customer's jobs come before the service slugs they could be mistaken for.
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<str:number>/", views.job_detail, name="job-detail"),
    path("jobs/<str:number>/quotes/<int:quote_id>/accept/", views.quote_accept, name="quote-accept"),
    # Old addresses of the job's pay pages: redirects to payments:pay / payments:return.
    path("jobs/<str:number>/pay/", views.job_pay, name="job-pay"),
    path("jobs/<str:number>/pay/return/", views.job_pay_return, name="job-pay-return"),
    path("jobs/<str:number>/change-orders/<int:pk>/", views.change_order_decide, name="change-order-decide"),
    path("jobs/<str:number>/cancel/", views.job_cancel, name="job-cancel"),
    path("jobs/<str:number>/rate/", views.job_rate, name="job-rate"),
    path("jobs/<str:number>/warranty/", views.job_warranty, name="job-warranty"),
    path("jobs/<str:number>/complaint/", views.job_complaint, name="job-complaint"),
    path("jobs/<str:number>/documents/", views.job_document_add, name="job-document-add"),
    path("track/<str:token>/", views.job_track, name="job-track"),
    path("<str:slug>/", views.service_detail, name="service-detail"),
    path("<str:slug>/request/", views.job_request, name="job-request"),
]
