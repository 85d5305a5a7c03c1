"""The council administrator's people and teams pages, under ``/<council_slug>/manage/``.

URL names are global (no namespace) because the service navigation reverses
``people_list`` by name.
"""

from django.urls import path

from councils import people_views as views

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:membership_id>/", views.person_edit, name="person_edit"),
    path("people/<int:membership_id>/deactivate/", views.person_deactivate,
         name="person_deactivate"),
    path("people/<int:membership_id>/reactivate/", views.person_reactivate,
         name="person_reactivate"),
    path("teams/", views.teams, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/", views.team_edit, name="team_edit"),
]
