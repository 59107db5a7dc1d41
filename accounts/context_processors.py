from .scope import scope_for


def scope(request):
    """Templates read the user's scope to show the links of their roles."""
    user = getattr(request, "user", None)
    return {"scope": scope_for(user)} if user is not None and user.is_authenticated else {}
