from django.conf import settings


def site(request):
    """Values every page's header and footer need; no queries."""
    return {"site_name": "OmaKouvola", "debug": settings.DEBUG}
