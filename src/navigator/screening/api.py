from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from navigator.core.authentication import IsCaseWorker, roles_allowed
from navigator.core.models import Role
from navigator.core.scoping import CHANGE

from . import services
from .forms import CONTROL_CHARACTER, REASON_MAX_CHARS
from .models import Decision, PoliceRecord, TriageDecision

MAX_ID = 2**63 - 1  # the largest id the database stores


class ScreeningResultSerializer(serializers.Serializer):  # its name is the schema's: clients know ScreeningResult
    """What the screening found in a record, and what screened it: a record it found nothing in reads score 0, not
    flagged, not held back, no hits."""

    score = serializers.FloatField(read_only=True)
    flagged = serializers.BooleanField(read_only=True)
    held_back = serializers.BooleanField(read_only=True)
    hits = serializers.JSONField(read_only=True)
    library_version = serializers.CharField(read_only=True, help_text="What screened the record; blank: not screened")
    threshold = serializers.FloatField(read_only=True, allow_null=True)
    screened_at = serializers.DateTimeField(read_only=True, allow_null=True)


class PoliceRecordSerializer(serializers.ModelSerializer):
    force = serializers.CharField(source="force.code")
    screening = ScreeningResultSerializer(source="screening_outcome", read_only=True)

    class Meta:
        model = PoliceRecord
        fields = ("id", "force", "ref", "recorded_at", "record_type", "location", "text", "screening", "imported_at",
                  "updated_at")
        extra_kwargs = {"updated_at": {"help_text": "When an import last changed the narrative: a decision on it sends "
                                                    "this as record_seen"}}


class PoliceRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Imported police records and their screening results (navigators and leads; own forces)."""

    serializer_class = PoliceRecordSerializer
    permission_classes = [roles_allowed(Role.NAVIGATOR, Role.LEAD)]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PoliceRecord.objects.none()
        records = PoliceRecord.objects.visible_to(self.request.user).select_related("force", "screening")
        params = self.request.query_params
        for name in ("flagged", "held_back"):  # held back: the indicators would flag them; the wording model did not
            if name in params:
                wanted = _yes_or_no(params, name)
                matching = Q(**{f"screening__{name}": wanted})
                if not wanted:  # a record the screening found nothing in has no result: neither flagged nor held back
                    matching |= Q(screening__isnull=True)
                records = records.filter(matching)
        if params.get("ref"):
            records = records.filter(ref=_text(params, "ref"))
        if params.get("force"):
            records = records.filter(force__code=_text(params, "force").upper())
        return records

    @extend_schema(parameters=[
        OpenApiParameter("flagged", bool, description="Only records flagged (true) or not flagged (false)"),
        OpenApiParameter("held_back", bool, description="Only records the wording model held back (true) or not"),
        OpenApiParameter("ref", str, description="The record with this reference (the force's own)"),
        OpenApiParameter("force", str, description="Only this force's records, by code, for example ESX"),
    ])
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # A page holds narratives: which records were read goes in the audit trail as a single view does.
        services.record_list_view(actor=request.user, record_ids=[row["id"] for row in response.data["results"]])
        return response

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        services.record_view(actor=request.user, record=record)
        return Response(self.get_serializer(record).data)


def _yes_or_no(params, name: str) -> bool:
    """A true/false query parameter; anything else is refused rather than ignored (a client that sends flagged=yes
    must not read every record as if it had asked for the flagged ones)."""
    value = params[name].strip().lower()
    if value not in ("true", "false", "1", "0"):
        raise ValidationError({name: "must be true or false"})
    return value in ("true", "1")


def _text(params, name: str) -> str:
    """A text query parameter; one holding a control character is refused, since nothing it is compared with holds
    one (and PostgreSQL cannot compare text holding NUL)."""
    if CONTROL_CHARACTER.search(params[name]):
        raise ValidationError({name: "must not hold a control character (such as NUL, a tab or a line break)"})
    return params[name]


class TriageDecisionSerializer(serializers.ModelSerializer):
    # A plain id, resolved in perform_create through the caller's scope: another force's record and a record that
    # does not exist must answer alike.
    record = serializers.IntegerField(source="record_id", min_value=1, max_value=MAX_ID)
    record_ref = serializers.CharField(source="record.ref", read_only=True)
    force = serializers.CharField(source="record.force.code", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)
    decision = serializers.ChoiceField(Decision.choices)
    reason = serializers.CharField(max_length=REASON_MAX_CHARS,
                                   help_text="The navigator's reason. Police users read it only on 'more_info' "
                                             "decisions, where it says what information is needed")
    supersedes = serializers.IntegerField(
        write_only=True, required=False, allow_null=True, min_value=1, max_value=MAX_ID,
        help_text="The id of the record's current decision the client last read (null: none). If another decision "
                  "has been made since, nothing is recorded and the answer is 409 with the current decision.")
    # As the web form's record_seen: no decision is recorded on a narrative its maker has not read.
    record_seen = serializers.DateTimeField(
        write_only=True,
        error_messages={"required": "Send the record's updated_at as you read it (GET /api/v1/police-records/{{id}}/"
                                    "): a decision is recorded only on the narrative its maker read."},
        help_text="The record's updated_at as the client read it (GET /api/v1/police-records/{id}/). If an import has "
                  "changed the record since, nothing is recorded and the answer is 409: read the record again.")

    def to_representation(self, instance):
        # Police see that a record was triaged and how, as on the decisions page; the navigator's reason (free text
        # that can name a victim or quote them) stays with navigators and leads, but for the information a navigator
        # asks the police for ("needs more information"), which the decision form says police read.
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        if getattr(user, "role", None) == Role.POLICE and not instance.shared_with_police:
            data.pop("reason", None)
        return data

    class Meta:
        model = TriageDecision
        fields = ("id", "record", "record_ref", "force", "decision", "reason", "decided_by", "decided_at",
                  "is_current", "supersedes", "record_seen")
        read_only_fields = ("decided_at", "is_current")
        validators = []  # a new decision supersedes the current one (services.decide), so no uniqueness check


class TriageDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            viewsets.GenericViewSet):
    """Triage decisions: police see those on their own force's records; navigators record them."""

    serializer_class = TriageDecisionSerializer
    permission_classes = [IsCaseWorker]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TriageDecision.objects.none()
        decisions = TriageDecision.objects.visible_to(self.request.user).select_related("record__force", "decided_by")
        if self.request.user.role == Role.POLICE:  # as on the decisions page: how each record stands, not its history
            decisions = decisions.filter(is_current=True)
        params = self.request.query_params
        if params.get("record"):
            if not (params["record"].isascii() and params["record"].isdigit()) or int(params["record"]) > MAX_ID:
                raise ValidationError({"record": "must be a record id"})
            decisions = decisions.filter(record_id=int(params["record"]))
        if "current" in params:
            decisions = decisions.filter(is_current=_yes_or_no(params, "current"))
        return decisions

    @extend_schema(responses={201: TriageDecisionSerializer,
                              409: OpenApiResponse(description="Nothing was recorded: another decision was made since "
                                                               "the one named in 'supersedes', or an import changed "
                                                               "the record since the 'record_seen' sent (read the "
                                                               "record again). The body holds the record's current "
                                                               "decision as 'current'.")})
    def create(self, request, *args, **kwargs):
        try:
            return super().create(request, *args, **kwargs)
        except services.StaleDecision as stale:
            current = self.get_serializer(stale.current).data if stale.current else None
            detail = "The record's decision changed since you read it; nothing was recorded."
            if stale.record_changed:
                detail = ("An import changed this record's narrative since you read it; nothing was recorded. Read "
                          f"the record again (GET {reverse('police-record-detail', args=[request.data['record']])}) "
                          "and send its updated_at as record_seen.")
            return Response({"detail": detail, "current": current}, status=status.HTTP_409_CONFLICT)

    @extend_schema(parameters=[
        OpenApiParameter("record", int, description="Only the decisions on this record (by id): its current one "
                                                    "is the one to name in 'supersedes'"),
        OpenApiParameter("current", bool, description="Only current decisions (true) or earlier ones (false)"),
    ])
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.decision_list_view(actor=request.user, decision_ids=[row["id"] for row in response.data["results"]])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        services.decision_list_view(actor=request.user, decision_ids=[response.data["id"]])
        return response

    def perform_create(self, serializer):
        user = self.request.user
        if user.role != Role.NAVIGATOR:
            raise ApiPermissionDenied("Only navigators record triage decisions")
        record = PoliceRecord.objects.visible_to(user, CHANGE).filter(pk=serializer.validated_data["record_id"]).first()
        if record is None:
            raise NotFound("No such record")
        data = serializer.validated_data
        try:
            serializer.instance = services.decide(actor=user, record=record, decision=data["decision"],
                                                  reason=data["reason"],
                                                  supersedes=data.get("supersedes", services.UNCHECKED),
                                                  record_seen=data["record_seen"])
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error
