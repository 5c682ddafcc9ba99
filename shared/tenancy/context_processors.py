from django.http import HttpRequest


def cooperative(request: HttpRequest) -> dict[str, object]:
    return {"cooperative": getattr(request, "cooperative", None)}
