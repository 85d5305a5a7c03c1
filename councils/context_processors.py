from django.http import HttpRequest


def council(request: HttpRequest) -> dict:
    """The council and the actor's membership in it, for the header and navigation."""
    return {
        "council": getattr(request, "council", None),
        "membership": getattr(request, "membership", None),
    }
