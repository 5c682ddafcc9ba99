"""The map's projection: north is up, east is right, and the Netherlands is drawn with its
own proportions (cos 52°), every point of the outline inside the drawing."""

from decimal import Decimal

from tenants.maps.drawing import Place, map_draw, project
from tenants.maps.outline import OUTLINE


def test_the_outline_lies_inside_the_drawing_and_has_enough_points():
    drawing = map_draw([])
    assert 40 <= len(OUTLINE) <= 80
    for pair in drawing.outline.split():
        x, y = (float(v) for v in pair.split(","))
        assert 0 <= x <= drawing.width and 0 <= y <= drawing.height


def test_north_is_up_and_east_is_right_with_the_latitude_scaling():
    groningen = project(53.22, 6.57)
    maastricht = project(50.85, 5.69)
    utrecht = project(52.09, 5.12)
    assert groningen[1] < utrecht[1] < maastricht[1]
    assert utrecht[0] < groningen[0]
    # A degree east is about 0.62 of a degree north on the drawing.
    east = project(52.0, 6.0)[0] - project(52.0, 5.0)[0]
    north = project(52.0, 5.0)[1] - project(53.0, 5.0)[1]
    assert 0.6 < east / north < 0.63


def test_labels_of_eastern_places_go_left_of_their_dot():
    places = [
        Place("West", "", "", Decimal("52.0"), Decimal("4.3")),
        Place("Oost", "", "", Decimal("52.2"), Decimal("6.9")),
    ]
    west, east = map_draw(places).markers
    assert west.label_anchor == "start" and west.label_x > west.x
    assert east.label_anchor == "end" and east.label_x < east.x
