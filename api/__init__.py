"""The HTTP service: ``create_app(settings)`` builds it, ``summarizer serve`` runs it."""
