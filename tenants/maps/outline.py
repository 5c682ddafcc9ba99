"""A simplified outline of the Netherlands for the server-side maps: the mainland as one
polygon of (longitude, latitude) points, clockwise from Cadzand, written by hand from a map.

Simplified on purpose: the IJsselmeer, the Westerschelde and the Wadden islands are left out,
so the outline is a recognisable silhouette to place dots on, not a survey. No map tiles or
third-party origins are needed (the site's strict CSP forbids them); a configured tile server
may come later.
"""

from __future__ import annotations

from decimal import Decimal

# The box the places must lie in (the board's form refuses anything outside it), and the box
# the drawing spans.
LAT_MIN, LAT_MAX = Decimal("50.7"), Decimal("53.6")
LON_MIN, LON_MAX = Decimal("3.3"), Decimal("7.3")

OUTLINE: tuple[tuple[float, float], ...] = (
    # the North Sea coast, south to north
    (3.36, 51.37),  # Cadzand
    (3.44, 51.53),  # Westkapelle
    (3.58, 51.61),  # Domburg
    (3.70, 51.70),  # Schouwen
    (3.88, 51.78),
    (4.00, 51.84),  # Goeree
    (4.03, 51.96),  # Maasvlakte
    (4.12, 52.00),  # Hoek van Holland
    (4.27, 52.11),  # Scheveningen
    (4.40, 52.23),  # Katwijk
    (4.53, 52.38),  # Zandvoort
    (4.57, 52.47),  # IJmuiden
    (4.62, 52.62),  # Egmond
    (4.65, 52.79),  # Petten
    (4.72, 52.96),  # Den Helder
    # along the Wadden Sea, west to east
    (5.03, 52.94),  # Den Oever
    (5.40, 53.08),  # Afsluitdijk, Zurich
    (5.42, 53.18),  # Harlingen
    (5.55, 53.30),
    (5.75, 53.37),
    (5.90, 53.40),  # Holwerd
    (6.20, 53.41),  # Lauwersoog
    (6.55, 53.44),
    (6.83, 53.45),  # Eemshaven
    (6.95, 53.33),  # Delfzijl
    (7.20, 53.26),  # the Dollard
    # the German border, north to south
    (7.21, 53.18),  # Nieuweschans
    (7.19, 53.00),
    (7.07, 52.85),  # Ter Apel
    (7.05, 52.65),
    (6.72, 52.63),  # Coevorden
    (6.75, 52.47),
    (7.07, 52.40),  # Denekamp
    (7.07, 52.23),  # Enschede
    (6.85, 52.12),
    (6.83, 51.97),  # Winterswijk
    (6.49, 51.85),  # Dinxperlo
    (6.17, 51.90),
    (5.96, 51.82),  # Nijmegen
    (6.02, 51.70),
    (6.22, 51.51),  # Venlo
    (6.08, 51.25),
    (6.17, 51.18),  # Roermond
    (5.88, 51.05),  # Sittard
    (6.09, 50.91),  # Kerkrade
    (6.02, 50.75),  # Vaals
    # the Belgian border, east to west
    (5.70, 50.76),  # Eijsden
    (5.64, 50.85),  # Maastricht
    (5.77, 51.03),
    (5.84, 51.15),
    (5.56, 51.22),  # Budel
    (5.24, 51.26),
    (5.05, 51.47),
    (4.93, 51.40),  # Baarle
    (4.76, 51.50),
    (4.54, 51.48),
    (4.38, 51.42),
    (4.28, 51.37),  # Ossendrecht
    (4.21, 51.37),
    (3.98, 51.23),
    (3.80, 51.21),
    (3.60, 51.30),
    (3.38, 51.27),
)
