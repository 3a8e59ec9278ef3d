"""Support desk: site pages, mounted under /<lang>/support/."""

from django.urls import path
from django.views.generic import RedirectView

from support import chat_views, views

app_name = "support"
urlpatterns = [
    # /<lang>/support/ itself: the customer's requests (sign-in asked there).
    path("", RedirectView.as_view(pattern_name="support:ticket-list"), name="home"),
    path("report/", views.report, name="report"),
    path("tickets/", views.ticket_list, name="ticket-list"),
    path("tickets/<str:number>/", views.ticket_detail, name="ticket-detail"),
    path("articles/", views.article_suggest, name="article-suggest"),
    path("feedback/", views.feedback, name="feedback"),
    path("hours/", views.hours, name="hours"),
    path("chat/", chat_views.chat_start, name="chat-start"),
    path("chat/<str:key>/messages/", chat_views.chat_messages, name="chat-messages"),
]
