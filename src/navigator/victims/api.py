from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from navigator.core.authentication import IsCaseWorker
from navigator.core.models import Force, Role
from navigator.core.scoping import CHANGE

from . import services
from .models import IDENTITY_FIELDS, Victim
from .search import apply_search
from .vocab import ExploitationType, MethodOfControl, OtherList

POLICE_FIELDS = ("reference", "force", "support_level", "engagement_status", "status", "classification")


class VictimSerializer(serializers.ModelSerializer):
    force = serializers.SlugRelatedField(slug_field="code", queryset=Force.objects.all())
    exploitation_types = serializers.ListField(child=serializers.ChoiceField(ExploitationType.choices),
                                               allow_empty=False)
    methods_of_control = serializers.ListField(child=serializers.ChoiceField(MethodOfControl.choices),
                                               required=False)
    known_to = serializers.ListField(child=serializers.ChoiceField(OtherList.choices), required=False)
    identity_shared = serializers.SerializerMethodField()

    class Meta:
        model = Victim
        fields = (
            "reference", "force", "full_name", "aliases", "date_of_birth", "phone", "address", "gender",
            "age_band", "nationality", "exploitation_types", "county_lines", "methods_of_control", "known_to",
            "support_level", "engagement_status", "status", "closed_on", "closure_reason", "classification",
            "identity_shared", "created_at", "updated_at",
        )
        read_only_fields = ("reference", "status", "closed_on", "closure_reason", "created_at", "updated_at")

    def get_identity_shared(self, victim) -> bool:
        return victim.identity_visible_to(self.context["request"].user)

    def to_representation(self, victim):
        data = super().to_representation(victim)
        user = self.context["request"].user
        if user.role == Role.POLICE:
            allowed = set(POLICE_FIELDS) | {"identity_shared"}
            if data["identity_shared"]:
                allowed |= set(IDENTITY_FIELDS)
            data = {key: value for key, value in data.items() if key in allowed}
        return data


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("q", description="Reference, exact full name or date of birth")]),
)
class VictimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Victims supported by Navigators. Police see identity only while share-with-police consent stands."""

    serializer_class = VictimSerializer
    permission_classes = [IsCaseWorker]
    lookup_field = "reference"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Victim.objects.none()
        user = self.request.user
        action = CHANGE if self.action in ("update", "partial_update") else "view"
        victims = (Victim.objects.visible_to(user, action).select_related("force").with_police_consent()
                   .prefetch_related(Prefetch("navigators")))
        query = self.request.query_params.get("q", "")
        if query and user.role == Role.POLICE:
            return victims.filter(reference__icontains=query.strip())
        return apply_search(victims, query)

    def retrieve(self, request, *args, **kwargs):
        victim = self.get_object()
        services.record_view(actor=request.user, victim=victim, identity_shown=victim.identity_visible_to(request.user))
        return Response(self.get_serializer(victim).data)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if request.query_params.get("q"):
            services.record_search(actor=request.user, criteria={"q": True}, result_count=response.data["count"])
        return response

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        force = data.pop("force")
        if self.request.user.role != Role.NAVIGATOR or force.pk not in self.request.user.force_ids:
            raise NotFound("No such force among yours")
        try:
            serializer.instance = services.create_victim(actor=self.request.user, force=force, **data)
        except DjangoValidationError as error:
            raise ApiValidationError(error.message_dict) from error

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "force" in data and data.pop("force") != serializer.instance.force:
            raise ApiValidationError({"force": ["A victim record cannot move between forces"]})
        try:
            serializer.instance = services.update_victim(actor=self.request.user, victim=serializer.instance, **data)
        except DjangoValidationError as error:
            raise ApiValidationError(error.message_dict) from error
