"""The app's routers: JSON API under ``/api`` (``api_*``) and the HTML pages (:mod:`.pages`)."""
