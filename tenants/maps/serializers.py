"""What the map's API gives: GeoJSON (RFC 7946), a point per cooperative with its name, place
and site; coordinates are longitude first, as GeoJSON has them."""

from __future__ import annotations

from rest_framework import serializers


class PointSerializer(serializers.Serializer):
    type = serializers.CharField(default="Point")
    coordinates = serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2)


class PlacePropertiesSerializer(serializers.Serializer):
    name = serializers.CharField()
    place = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    url = serializers.URLField(allow_null=True)


class FeatureSerializer(serializers.Serializer):
    type = serializers.CharField(default="Feature")
    geometry = PointSerializer()
    properties = PlacePropertiesSerializer()


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(default="FeatureCollection")
    features = FeatureSerializer(many=True)
