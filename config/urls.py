from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    # First: a single-segment path that council-slug patterns below would otherwise take.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/<slug:council_slug>/", include("progression.api_urls")),
    path("api/v1/<slug:council_slug>/", include("panels.api_urls")),
    # Council pages of other apps: path("<slug:council_slug>/<app>/", include(...)) above here.
    path("<slug:council_slug>/manage/", include("councils.people_urls")),
    path("<slug:council_slug>/asye/", include("progression.asye.urls")),
    path("<slug:council_slug>/portfolios/", include("portfolios.urls")),
    path("<slug:council_slug>/panels/", include("panels.urls")),
    path("<slug:council_slug>/hr/", include("panels.hr_urls")),
    path("<slug:council_slug>/", include("progression.urls")),
    path("<slug:council_slug>/", include("councils.rules_urls")),
    # Keep councils.urls last: its "<slug:council_slug>/" pattern would shadow single-segment
    # paths listed after it.
    path("", include("councils.urls")),
]
