from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Installs the portal's admin site, whose access rule comes from the permissions module."""

    default_site = "alliances.admin_site.PortalAdminSite"
