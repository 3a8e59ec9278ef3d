"""Support desk: the agent console, mounted under /<lang>/dashboard/support/."""

from django.urls import path

from support import chat_views
from support import dashboard_views as views

app_name = "support-dashboard"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tickets/<str:number>/", views.ticket, name="ticket"),
    path("tickets/<str:number>/reply/", views.ticket_reply, name="ticket-reply"),
    path("tickets/<str:number>/status/", views.ticket_status, name="ticket-status"),
    path("tickets/<str:number>/visit/", views.ticket_visit, name="ticket-visit"),
    path("calls/", views.call, name="call"),
    path("calls/<int:user_id>/", views.call_customer, name="call-customer"),
    path("chats/<int:pk>/", chat_views.agent_chat, name="chat"),
    path("chats/<int:pk>/pickup/", chat_views.agent_pickup, name="chat-pickup"),
    path("chats/<int:pk>/messages/", chat_views.agent_messages, name="chat-messages"),
    path("chats/<int:pk>/close/", chat_views.agent_close, name="chat-close"),
    path("quality/", views.quality, name="quality"),
    path("quality/<int:pk>/", views.quality_record, name="quality-record"),
    path("reports/", views.reports, name="reports"),
]
