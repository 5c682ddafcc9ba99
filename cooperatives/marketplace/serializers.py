"""What the marketplace API takes and gives. Outgoing shapes hide what the viewer may not
see (an exact address, who asked); incoming ones only shape the input: the services check the
values and give the Dutch refusals, so the API and the pages answer alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from cooperatives.marketplace import selectors
from cooperatives.marketplace.models import (
    CompensationDue,
    HelpRequest,
    HelpResponse,
    HoursDispute,
    MemberSettings,
    Offer,
    Reach,
    Service,
    ServiceMessage,
)
from cooperatives.members.models import AVAILABILITY_CHOICES, DAY_PARTS, Member
from cooperatives.setup.models import Cluster
from shared.api.fields import StrictIntegerField, StrictPrimaryKeyRelatedField

# What only the requester, the matched volunteer and coordinators see of a request.
PRIVATE_FIELDS = ("requester", "requester_name", "street", "house_number", "postcode")
# The steps of a service's lifecycle, as the API names them.
ACTIONS = [
    "move",
    "cancel",
    "register",
    "confirm",
    "confirm_approve",
    "dispute",
    "resolve",
    "approve",
    "settle",
    "feedback",
    "message",
]
SERVICE_STATUSES = "planned, registered, disputed, confirmed of cancelled"
MAX_SUGGESTIONS = 50

# --- requests and offers: what goes out ------------------------------------------------------


class HelpRequestRowSerializer(serializers.ModelSerializer):
    """A request as the marketplace shows it: the buurt, never the address."""

    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="neighbourhood.name", allow_null=True, default=None, read_only=True
    )
    # Plain strings in the schema: other "status" fields have other values.
    status = serializers.CharField(
        read_only=True, help_text="open, matched, closed, expired of cancelled"
    )
    compensation = serializers.CharField(read_only=True, help_text="free, euros, points of both")
    preferred_parts = serializers.ListField(
        child=serializers.ChoiceField(DAY_PARTS), read_only=True
    )

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "title",
            "cluster",
            "cluster_name",
            "compensation",
            "neighbourhood",
            "neighbourhood_name",
            "preferred_dates",
            "preferred_parts",
            "expected_hours",
            "repeats_weekly",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class HelpRequestDetailSerializer(HelpRequestRowSerializer):
    """One request. The requester and the exact address are null unless the viewer is the
    requester, the matched volunteer or a coordinator."""

    requester = StrictIntegerField(source="requester_id", allow_null=True, read_only=True)
    requester_name = serializers.CharField(source="requester.name", allow_null=True, read_only=True)
    street = serializers.CharField(allow_null=True, read_only=True)
    house_number = serializers.CharField(allow_null=True, read_only=True)
    postcode = serializers.CharField(allow_null=True, read_only=True)
    created_by_other = serializers.SerializerMethodField(
        help_text="gevraagd door een coördinator of buurtassistent"
    )

    class Meta(HelpRequestRowSerializer.Meta):
        fields = [
            *HelpRequestRowSerializer.Meta.fields,
            "description",
            "network_checked",
            "created_by_other",
            *PRIVATE_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_created_by_other(self, help_request: HelpRequest) -> bool:
        return help_request.created_by_id != help_request.requester_id


class HelpResponseSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="volunteer.neighbourhood.name", allow_null=True, default=None, read_only=True
    )
    status = serializers.CharField(read_only=True, help_text="waiting, accepted of not_chosen")

    class Meta:
        model = HelpResponse
        fields = [
            "id",
            "request",
            "volunteer",
            "volunteer_name",
            "neighbourhood_name",
            "message",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class PlannedServiceSerializer(serializers.Serializer):
    id = StrictIntegerField()
    request = StrictIntegerField(source="request_id")
    volunteer = StrictIntegerField(source="volunteer_id")
    volunteer_name = serializers.CharField(source="volunteer.name")
    date = serializers.DateField()
    start_time = serializers.TimeField()
    planned_hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    status = serializers.CharField(help_text=SERVICE_STATUSES)


class OfferSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="volunteer.neighbourhood.name", allow_null=True, default=None, read_only=True
    )
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    availability = serializers.ListField(
        child=serializers.ChoiceField(AVAILABILITY_CHOICES), read_only=True
    )
    reach = serializers.ChoiceField(Reach.choices, read_only=True)
    status = serializers.CharField(read_only=True, help_text="active, expired of withdrawn")

    class Meta:
        model = Offer
        fields = [
            "id",
            "volunteer",
            "volunteer_name",
            "neighbourhood_name",
            "cluster",
            "cluster_name",
            "description",
            "availability",
            "reach",
            "status",
            "renew_by",
            "created_at",
        ]
        read_only_fields = fields


class BoardRequestSerializer(HelpRequestRowSerializer):
    age_days = StrictIntegerField(read_only=True, help_text="dagen sinds de hulpvraag")
    response_count = StrictIntegerField(read_only=True)

    class Meta(HelpRequestRowSerializer.Meta):
        fields = [*HelpRequestRowSerializer.Meta.fields, "age_days", "response_count"]
        read_only_fields = fields


class BoardServiceSerializer(serializers.Serializer):
    id = StrictIntegerField()
    request = StrictIntegerField(source="request_id")
    request_title = serializers.CharField(source="request.title")
    requester_name = serializers.CharField(source="requester.name")
    volunteer_name = serializers.CharField(source="volunteer.name")
    date = serializers.DateField()
    registered_hours = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    feedback_due = serializers.DateField(allow_null=True)


class CoordinatorBoardSerializer(serializers.Serializer):
    open_requests = BoardRequestSerializer(many=True)
    awaiting_confirmation = BoardServiceSerializer(many=True)
    hours_disputed = BoardServiceSerializer(
        many=True, help_text="Uren die volgens de hulpvrager niet kloppen"
    )
    held = BoardServiceSerializer(
        many=True, help_text="Bevestigd, maar wat de dienst oplevert kon niet worden geboekt"
    )
    feedback_overdue = BoardServiceSerializer(many=True)


class MemberSettingsSerializer(serializers.Serializer):
    digest = serializers.ChoiceField(MemberSettings.Digest.choices)
    share_phone = serializers.BooleanField(
        help_text="Uw telefoonnummer tonen aan wie u helpt of wie u helpt (na een koppeling)"
    )
    share_email = serializers.BooleanField(
        help_text="Uw e-mailadres tonen aan wie u helpt of wie u helpt (na een koppeling)"
    )
    calendar_url = serializers.CharField(help_text="Het geheime adres van uw agenda (iCalendar)")


def request_data(help_request: HelpRequest, viewer: Member) -> dict[str, Any]:
    """One request as ``viewer`` may see it: the address and requester only for those who
    may see the address."""
    data: dict[str, Any] = dict(HelpRequestDetailSerializer(help_request).data)
    if not selectors.may_see_address(viewer=viewer, request=help_request):
        data.update(dict.fromkeys(PRIVATE_FIELDS))
    return data


def settings_data(request: Request, settings_row: MemberSettings) -> dict[str, Any]:
    url = reverse("calendar-feed", kwargs={"token": settings_row.calendar_token})
    return dict(
        MemberSettingsSerializer(
            {
                "digest": settings_row.digest,
                "share_phone": settings_row.share_phone,
                "share_email": settings_row.share_email,
                "calendar_url": request.build_absolute_uri(url),
            }
        ).data
    )


# --- requests and offers: what comes in (shapes only) ----------------------------------------


class HelpRequestCreateSerializer(serializers.Serializer):
    requester = StrictIntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Het lid voor wie u hulp vraagt (coördinatoren en buurtassistenten); leeg: uzelf",
    )
    cluster = StrictPrimaryKeyRelatedField(queryset=Cluster.objects.all())
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(max_length=4000, allow_blank=True, required=False)
    preferred_dates = serializers.ListField(
        child=serializers.DateField(), max_length=5, required=False, default=list
    )
    preferred_parts = serializers.ListField(
        child=serializers.ChoiceField(DAY_PARTS),
        required=False,
        default=list,
        max_length=len(DAY_PARTS),
    )
    expected_hours = serializers.CharField(max_length=10, help_text="Uren, bijvoorbeeld 1.5")
    street = serializers.CharField(
        max_length=120, required=False, allow_null=True, default=None, help_text="leeg: eigen adres"
    )
    house_number = serializers.CharField(
        max_length=12, required=False, allow_null=True, default=None
    )
    postcode = serializers.CharField(max_length=10, required=False, allow_null=True, default=None)
    repeats_weekly = serializers.BooleanField(required=False, default=False)
    network_checked = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Familie, vrienden en buren kunnen niet helpen (nodig bij een klus als de "
        "spelregels dat vragen)",
    )


class RequestCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class RespondSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class AcceptSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    planned_hours = serializers.CharField(
        max_length=10,
        required=False,
        allow_null=True,
        default=None,
        help_text="leeg: de duur uit de hulpvraag",
    )


class OfferCreateSerializer(serializers.Serializer):
    cluster = StrictPrimaryKeyRelatedField(queryset=Cluster.objects.all())
    description = serializers.CharField(max_length=4000, allow_blank=True)
    availability = serializers.ListField(
        child=serializers.ChoiceField(AVAILABILITY_CHOICES),
        required=False,
        default=list,
        max_length=len(AVAILABILITY_CHOICES),
    )
    reach = serializers.ChoiceField(Reach.choices, required=False, default=Reach.NEIGHBOURHOOD)


class DigestSerializer(serializers.Serializer):
    # A plain string: the service checks it and answers in Dutch.
    digest = serializers.CharField(max_length=10, required=False, help_text="daily, weekly of none")
    share_phone = serializers.BooleanField(required=False)
    share_email = serializers.BooleanField(required=False)


class ReferralQuerySerializer(serializers.Serializer):
    cluster = StrictPrimaryKeyRelatedField(queryset=Cluster.objects.all())
    expected_hours = serializers.DecimalField(
        max_digits=5, decimal_places=1, help_text="Uren, bijvoorbeeld 3"
    )


class PartnerContactSerializer(serializers.Serializer):
    id = StrictIntegerField(source="partner.pk")
    name = serializers.CharField(source="partner.name")
    kind = serializers.CharField(source="partner.kind", help_text="social_enterprise of partner")
    services = serializers.CharField(source="partner.services")
    contact_name = serializers.CharField(source="partner.contact_name")
    phone = serializers.CharField(source="partner.phone")
    email = serializers.CharField(source="partner.email")
    website = serializers.CharField(source="partner.website")
    social_rate = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        allow_null=True,
        help_text="Sociaal tarief in euro per uur volgens de spelregels",
    )


class ReferralSerializer(serializers.Serializer):
    referred = serializers.BooleanField(
        help_text="De klus is groter dan de spelregels vrijwilligers laten doen: hij gaat naar "
        "de partners (een hulpvraag ervoor wordt geweigerd met code referred_to_partner)"
    )
    max_hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text="Klussen van meer uren dan dit gaan naar de partners",
    )
    partners = PartnerContactSerializer(many=True)


# --- services: what goes out -----------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="register, wait_hours, wait_appointment, confirm, confirm_approve, "
        "wait_confirmation, resolve, wait_correction, approve, wait_approval, settle, "
        "wait_coordinator, pay, wait_payment, feedback, done of cancelled"
    )
    text = serializers.CharField(help_text="De zin die de pagina toont")


class ContactSerializer(serializers.Serializer):
    side = serializers.CharField(help_text="requester of volunteer")
    name = serializers.CharField(help_text="Voornaam (een coördinator: de hele naam)")
    phone = serializers.CharField(help_text="Leeg als het niet gedeeld wordt")
    email = serializers.CharField(help_text="Leeg als het niet gedeeld wordt")


class DisputeSerializer(serializers.ModelSerializer):
    raised_by_name = serializers.CharField(source="raised_by.name", read_only=True)
    resolved_by_name = serializers.CharField(
        source="resolved_by.name", allow_null=True, default=None, read_only=True
    )

    class Meta:
        model = HoursDispute
        fields = [
            "id",
            "raised_by",
            "raised_by_name",
            "reason",
            "disputed_hours",
            "created_at",
            "resolved_by",
            "resolved_by_name",
            "resolved_at",
            "corrected_hours",
            "resolution_note",
        ]
        read_only_fields = fields


class ServiceMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = ServiceMessage
        fields = ["id", "service", "author", "author_name", "body", "created_at"]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    """A service as its members and coordinators see it. The exact address is empty for the
    volunteer of a cancelled service (they see the buurt)."""

    title = serializers.CharField(source="request.title", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    street = serializers.CharField(source="request.street", read_only=True)
    house_number = serializers.CharField(source="request.house_number", read_only=True)
    postcode = serializers.CharField(source="request.postcode", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="request.neighbourhood.name", allow_null=True, read_only=True, default=None
    )
    status = serializers.CharField(read_only=True, help_text=SERVICE_STATUSES)
    compensation = serializers.CharField(
        read_only=True, help_text="free, euros, points of both (uit de eigen spelregels)"
    )
    rulebook_version = StrictIntegerField(
        source="rulebook.version", allow_null=True, read_only=True, default=None
    )
    rates = serializers.SerializerMethodField(
        help_text="Per soort (euros, points) wat één uur oplevert, volgens de eigen spelregels"
    )
    actions = serializers.SerializerMethodField(help_text="Wat u nu met deze dienst kunt doen")
    steps = serializers.SerializerMethodField(
        help_text="Wat u nu doet of waarop u wacht, het belangrijkste eerst (zoals de pagina "
        "het bovenaan toont)"
    )
    contacts = serializers.SerializerMethodField(
        help_text="Hoe u de ander bereikt: na een koppeling de voornaam en wat die deelt"
    )
    disputes = serializers.SerializerMethodField(
        help_text="Wanneer de hulpvrager zei dat de uren niet klopten, en hoe dat is opgelost"
    )

    ADDRESS = ("street", "house_number", "postcode")

    class Meta:
        model = Service
        fields = [
            "id",
            "request",
            "title",
            "cluster",
            "cluster_name",
            "requester",
            "requester_name",
            "volunteer",
            "volunteer_name",
            "date",
            "start_time",
            "planned_hours",
            "street",
            "house_number",
            "postcode",
            "neighbourhood_name",
            "status",
            "compensation",
            "rulebook_version",
            "rates",
            "cancel_reason",
            "registered_hours",
            "registered_at",
            "confirmed_at",
            "rating",
            "feedback",
            "feedback_at",
            "feedback_due",
            "actions",
            "steps",
            "contacts",
            "disputes",
        ]
        read_only_fields = fields

    def to_representation(self, service: Service) -> dict[str, Any]:
        data = super().to_representation(service)
        if not selectors.service_address_visible(viewer=self.context["viewer"], service=service):
            data.update(dict.fromkeys(self.ADDRESS, ""))
        return data

    @extend_schema_field(
        serializers.DictField(child=serializers.DecimalField(max_digits=9, decimal_places=2))
    )
    def get_rates(self, service: Service) -> dict[str, str]:
        rates = selectors.compensation_amounts(service=service, hours=Decimal("1"))
        return {kind: str(rate) for kind, (rate, _share) in rates.items()}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ACTIONS)))
    def get_actions(self, service: Service) -> list[str]:
        actor = self.context["viewer"]
        return sorted(selectors.service_actions(actor=actor, service=service))

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, service: Service) -> list[dict[str, Any]]:
        steps = selectors.service_steps(viewer=self.context["viewer"], service=service)
        return list(StepSerializer(steps, many=True).data)

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, service: Service) -> list[dict[str, Any]]:
        contacts = selectors.service_contacts(viewer=self.context["viewer"], service=service)
        return list(ContactSerializer(contacts, many=True).data)

    @extend_schema_field(DisputeSerializer(many=True))
    def get_disputes(self, service: Service) -> list[dict[str, Any]]:
        return list(DisputeSerializer(selectors.service_disputes(service=service), many=True).data)


class DueSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="points of euros")
    status = serializers.CharField(read_only=True, help_text="owed of settled")
    payer_name = serializers.CharField(source="payer.name", read_only=True)
    payee_name = serializers.CharField(source="payee.name", read_only=True)
    rulebook_version = StrictIntegerField(
        source="rulebook.version", allow_null=True, read_only=True, default=None
    )

    class Meta:
        model = CompensationDue
        fields = [
            "id",
            "service",
            "kind",
            "amount",
            "cooperative_share",
            "payer",
            "payer_name",
            "payee",
            "payee_name",
            "rulebook_version",
            "status",
            "created_at",
            "settled_at",
        ]
        read_only_fields = fields


# --- services: what comes in (shapes only) ---------------------------------------------------


class MoveSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    reason = serializers.CharField(allow_blank=True, max_length=300)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300)


class RegisterSerializer(serializers.Serializer):
    hours = serializers.CharField(help_text='Gewerkte uren, bijvoorbeeld 1.5 of "1,5"')


class DisputeCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, max_length=500, help_text="Wat er niet klopt aan de uren"
    )


class ResolveSerializer(serializers.Serializer):
    hours = serializers.CharField(help_text='De juiste uren, bijvoorbeeld 1.5 of "1,5"')
    note = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=500, help_text="Toelichting"
    )


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, max_length=2000)


class FeedbackSerializer(serializers.Serializer):
    rating = StrictIntegerField(help_text="1 tot en met 5")
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


# --- suggested volunteers --------------------------------------------------------------------


class SuggestionSerializer(serializers.Serializer):
    member = StrictIntegerField(source="member.pk")
    name = serializers.CharField(source="member.name")
    neighbourhood_name = serializers.CharField(
        source="member.neighbourhood.name", allow_null=True, default=None
    )
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestionFilterSerializer(serializers.Serializer):
    limit = StrictIntegerField(required=False, default=10, min_value=1, max_value=MAX_SUGGESTIONS)
