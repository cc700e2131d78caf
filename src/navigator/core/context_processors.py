from django.conf import settings

from .models import Classification


def navigator(request):
    user = getattr(request, "user", None)
    forces = []
    if user is not None and user.is_authenticated:
        forces = ["All forces"] if user.sees_all_forces else [f.name for f in user.forces.all()]
    return {
        "service_name": "Navigator",
        "user_forces": forces,
        "default_classification": Classification.OFFICIAL_SENSITIVE,
        "session_seconds": settings.SESSION_COOKIE_AGE,
    }
