"""The map as a server-side SVG: the outline of the Netherlands and one dot per place, in an
equirectangular projection scaled by cos(52°) so that the country does not look stretched at
its latitude. The template draws what this computes; no JavaScript, no tiles."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from tenants.maps.outline import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN, OUTLINE

# Pixels per degree of latitude; a degree of longitude is cos(52°) of that.
SCALE = 200.0
X_FACTOR = math.cos(math.radians(52))
MARGIN = 10.0
# Labels right of the dot run this far at most; the view box leaves room for them.
LABEL_ROOM = 150.0


@dataclass(frozen=True)
class Place:
    """One cooperative on a map: what the dot, its label and the table show."""

    name: str
    place: str
    status: str
    latitude: Decimal
    longitude: Decimal
    href: str | None = None


@dataclass(frozen=True)
class Marker:
    place: Place
    x: float
    y: float
    # Labels of dots in the eastern half go to the left of the dot, so they stay in view.
    label_x: float
    label_anchor: str


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    outline: str
    markers: list[Marker]


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """(x, y) in the drawing for a point: x grows east, y grows south."""
    x = MARGIN + LABEL_ROOM + (longitude - float(LON_MIN)) * X_FACTOR * SCALE
    y = MARGIN + (float(LAT_MAX) - latitude) * SCALE
    return round(x, 1), round(y, 1)


def map_draw(places: list[Place]) -> Drawing:
    """The outline and a marker per place (places without coordinates are not passed here)."""
    width = 2 * (MARGIN + LABEL_ROOM) + float(LON_MAX - LON_MIN) * X_FACTOR * SCALE
    height = 2 * MARGIN + float(LAT_MAX - LAT_MIN) * SCALE
    outline = " ".join(f"{x},{y}" for x, y in (project(lat, lon) for lon, lat in OUTLINE))
    middle = (float(LON_MIN) + float(LON_MAX)) / 2
    markers = []
    for place in places:
        x, y = project(float(place.latitude), float(place.longitude))
        east = float(place.longitude) > middle
        markers.append(
            Marker(
                place=place,
                x=x,
                y=y,
                label_x=round(x - 8, 1) if east else round(x + 8, 1),
                label_anchor="end" if east else "start",
            )
        )
    return Drawing(round(width, 1), round(height, 1), outline, markers)
