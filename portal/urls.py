from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import privacy_views, views
from portal.health import HealthView

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/profile/", views.profile, name="profile"),
    path("account/api-token/", views.api_token, name="api_token"),
    path("account/my-data/", privacy_views.my_data, name="my_data"),
    path("account/my-data/export/", privacy_views.my_data_export, name="my_data_export"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("portal.api_urls")),
    # The VC-API (W3C CCG Verifiable Credentials API): verifiers, and each institution's
    # issuer and status endpoints with the token endpoint of their OAuth2 clients.
    path("vc-api/", include("verification.vc_api_urls")),
    path("vc-api/", include("issuance.api.vc_api_urls")),
    path("", include("alliances.urls")),
    path("", include("catalogue.urls")),
    path("", include("issuance.urls")),
    path("", include("verification.urls")),
    path("", include("wallet.urls")),
    path("", include("insights.urls")),
    path("", include("recognition.urls")),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
