from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("observatory/", views.observatory, name="observatory"),
    path("observatory/<slug:slug>.csv", views.figure_csv, name="figure_csv"),
    path("careers/", views.careers, name="careers"),
    path("manage/analytics/", views.issuer_analytics, name="issuer_analytics"),
    path(
        "manage/offerings/<slug:code>/mobility.csv",
        views.offering_mobility_csv,
        name="offering_mobility_csv",
    ),
]
