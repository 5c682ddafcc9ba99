"""What the member API takes and gives. What comes in is only shaped here: the member services
check the values, so the API gives the same Dutch messages as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.members import selectors
from cooperatives.members.models import AVAILABILITY_CHOICES, Member, Role
from cooperatives.members.validation import TAG_MOST
from cooperatives.setup.models import Neighbourhood
from shared.api.fields import StrictIntegerField, StrictPrimaryKeyRelatedField

# --- what goes out -----------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    """A row of the member list."""

    # A plain string in the schema: "status" of applications and invitations has other
    # values, and enums of one field name clash there (until ENUM_NAME_OVERRIDES names them).
    status = serializers.CharField(read_only=True, help_text="active, left of erased")
    neighbourhood_name = serializers.CharField(
        source="neighbourhood.name", allow_null=True, read_only=True
    )
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "kind",
            "name",
            "street",
            "house_number",
            "postcode",
            "neighbourhood",
            "neighbourhood_name",
            "phone",
            "email",
            "status",
            "roles",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Role.choices)))
    def get_roles(self, member: Member) -> list[str]:
        # role_assignments and seats__body are prefetched by the selectors: no query per row.
        return sorted(member.current_roles())


class MemberDetailSerializer(MemberSerializer):
    class Meta(MemberSerializer.Meta):
        fields = [
            *MemberSerializer.Meta.fields,
            "neighbourhood_fixed",
            "year_of_birth",
            "languages",
            "talents",
            "help_clusters",
            "availability",
            "uses_internet",
            "privacy_version",
            "privacy_accepted_at",
            "disclaimer_version",
            "disclaimer_accepted_at",
            "consent_on_behalf",
            "registered_by",
            "assisted_neighbourhoods",
            "joined_at",
            "left_at",
            "erased_at",
        ]
        read_only_fields = fields


# --- what comes in (shapes only: the services check the values) --------------------------------


class MemberProfileSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False, help_text="resident of organisation")
    # No max_length here: the service refuses a too long value with its own Dutch message,
    # the same as on the pages (cooperatives.members.validation).
    name = serializers.CharField(required=False, allow_blank=True)
    street = serializers.CharField(required=False, allow_blank=True)
    house_number = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    year_of_birth = StrictIntegerField(required=False, allow_null=True)
    # Sensible maximum sizes: a profile is read by people, not a store for lists.
    languages = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=TAG_MOST["languages"]
    )
    talents = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=TAG_MOST["talents"]
    )
    help_clusters = StrictPrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=selectors.clusters_choosable(),
        error_messages={"does_not_exist": _("Kies een cluster uit de lijst.")},
    )
    availability = serializers.ListField(
        child=serializers.ChoiceField(AVAILABILITY_CHOICES),
        required=False,
        max_length=len(AVAILABILITY_CHOICES),
    )
    uses_internet = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, member: Member | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        clusters = cast(serializers.ManyRelatedField, self.fields["help_clusters"])
        clusters.child_relation.queryset = selectors.clusters_choosable(member=member)


class MemberChangeSerializer(MemberProfileSerializer):
    neighbourhood = StrictPrimaryKeyRelatedField(
        required=False,
        allow_null=True,
        queryset=Neighbourhood.objects.none(),
        help_text="Een buurt, of null: de buurt volgt weer uit het adres",
        error_messages={"does_not_exist": _("Kies een buurt uit de lijst.")},
    )

    def __init__(
        self, *args: Any, neighbourhoods: QuerySet[Neighbourhood] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if neighbourhoods is not None:
            neighbourhood = cast(serializers.PrimaryKeyRelatedField, self.fields["neighbourhood"])
            neighbourhood.queryset = neighbourhoods


class MemberIntakeSerializer(MemberProfileSerializer):
    accept_privacy = serializers.BooleanField(
        default=False, help_text="Het lid stemde mondeling in met de privacyverklaring"
    )
    accept_disclaimer = serializers.BooleanField(
        default=False, help_text="Het lid stemde mondeling in met de spelregels (aansprakelijkheid)"
    )


class MemberRolesSerializer(serializers.Serializer):
    roles = serializers.ListField(
        child=serializers.CharField(max_length=30), allow_empty=True, max_length=len(Role.choices)
    )
    assisted_neighbourhoods = StrictPrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Neighbourhood.objects.all(),
        error_messages={"does_not_exist": _("Kies een buurt uit de lijst.")},
    )
