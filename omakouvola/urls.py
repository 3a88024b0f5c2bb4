"""The composition root: every app's URLs are mounted here."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from opendata import views as opendata_views

from . import views
from .media import public_media

admin.site.site_header = _("OmaKouvola administration")
admin.site.site_title = "OmaKouvola"
admin.site.index_title = _("Participatory budgeting and area committees")
# Staff sign in through allauth, where rate limits and the second factor apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("opendata.urls")),
    path("identification/", include("identification.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_statement, name="privacy"),
    path("open-data/", opendata_views.page, name="open_data"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("me/", views.my_page, name="my_page"),
    path("profile/", views.profile, name="profile"),
    path("staff/", views.staff_home, name="staff_home"),
    path("profile/my-data.json", views.my_data, name="my_data"),
    path("profile/delete/", views.delete_account, name="delete_account"),
    path("accounts/", include("allauth.urls")),
    path("committees/", include("committees.urls")),
    path("", include("ideas.urls")),
    path("", include("discussion.urls")),
    path("", include("following.urls")),
    path("voting/", include("voting.urls")),
    path("budgets/", include("budgets.urls")),
    prefix_default_language=True,
)

urlpatterns += [path("media/<path:path>", public_media, name="public_media")]
