from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import navigation


def site(request):
    """Values every page's header and footer need. No queries, except `nav_links` on the
    first page of a person's day (omakouvola.navigation), and only if the page shows it."""
    user = getattr(request, "user", None)
    return {
        "nav_links": SimpleLazyObject(lambda: navigation.links_for(user)),
        "site_name": "OmaKouvola",
        "debug": settings.DEBUG,
        # The maps' background tiles; empty draws markers and outlines on a blank ground.
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
