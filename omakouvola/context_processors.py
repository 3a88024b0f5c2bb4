from django.conf import settings


def site(request):
    """Values every page's header and footer need; no queries."""
    return {
        "site_name": "OmaKouvola",
        "debug": settings.DEBUG,
        # The maps' background tiles; empty draws markers and outlines on a blank ground.
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
