"""Stable, language-free URLs: Suomi.fi and MPASSid register them, so they never move."""

from django.urls import path

from . import devidp, views

app_name = "identification"

urlpatterns = [
    path("", views.status, name="status"),
    path("saml/metadata/", views.SuomifiMetadataView.as_view(), name="saml_metadata"),
    path("saml/login/", views.SuomifiLoginView.as_view(), name="saml_login"),
    path("saml/acs/", views.SuomifiAcsView.as_view(), name="saml_acs"),
    path("saml/logout/", views.SuomifiLogoutView.as_view(), name="saml_logout"),
    path("saml/ls/", views.SuomifiLogoutServiceView.as_view(), name="saml_ls"),
    path("saml/ls/post/", views.SuomifiLogoutServiceView.as_view(), name="saml_ls_post"),
    path("suomifi/finish/", views.suomifi_finish, name="suomifi_finish"),
    path("mpassid/login/", views.MpassidLoginView.as_view(), name="mpassid_login"),
    path("mpassid/callback/", views.MpassidCallbackView.as_view(), name="mpassid_callback"),
    # The local test identity service (404 unless IDENTIFICATION_DEV_IDP).
    path("test-service/saml/metadata/", devidp.saml_metadata, name="test_saml_metadata"),
    path("test-service/saml/sso/", devidp.saml_sso, name="test_saml_sso"),
    path("test-service/saml/slo/", devidp.saml_slo, name="test_saml_slo"),
    path("test-service/oidc/authorize/", devidp.oidc_authorize, name="test_oidc_authorize"),
    path("test-service/oidc/token/", devidp.oidc_token, name="test_oidc_token"),
    path("test-service/oidc/userinfo/", devidp.oidc_userinfo, name="test_oidc_userinfo"),
    path("test-service/oidc/jwks/", devidp.oidc_jwks, name="test_oidc_jwks"),
]
