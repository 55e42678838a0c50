from django.urls import path, re_path

from analysis import small_area_views, views

urlpatterns = [
    path("", views.analysis_home, name="analysis-home"),
    path("waves/<int:wave_id>/weighting/", views.weighting_new, name="weighting-new"),
    path("waves/<int:wave_id>/weight/", views.weighting_start, name="weighting-start"),
    path("weightings/<int:pk>/", views.weighting_detail, name="weighting-detail"),
    path("weightings/<int:pk>/accept/", views.weighting_accept, name="weighting-accept"),
    path("weightings/<int:pk>/estimate/", views.estimates_start, name="estimates-start"),
    path("estimates/<int:pk>/", views.estimates_detail, name="estimates-detail"),
    re_path(r"^estimates/(?P<pk>[0-9]+)/download\.(?P<fmt>csv|xlsx)$",
            views.estimates_download, name="estimates-download"),
    path("waves/<int:wave_id>/borough-estimates/", small_area_views.small_area_list,
         name="small-area-list"),
    path("waves/<int:wave_id>/borough-estimates/new/", small_area_views.small_area_new,
         name="small-area-new"),
    path("waves/<int:wave_id>/borough-estimates/run/", small_area_views.small_area_start,
         name="small-area-start"),
    path("waves/<int:wave_id>/borough-tables/", small_area_views.borough_table_new,
         name="borough-table-new"),
    path("borough-estimates/<int:pk>/choose/", small_area_views.small_area_choose,
         name="small-area-choose"),
    path("borough-estimates/<int:pk>/", small_area_views.small_area_detail,
         name="small-area-detail"),
]
