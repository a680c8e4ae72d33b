"""How talent records look in `/api/v1/`, and the writes staff make here: a relationship's status, and adding a
person to an account that does not know them yet."""

from __future__ import annotations

from rest_framework import serializers

from portal.core.api.serializers import VENDOR_RECORD_FIELDS
from portal.integrations.models import VendorConnection
from portal.talent.accounts import add_problems, addable_connections
from portal.talent.models import AccountRelationship, CandidateStatus, Skill, TalentProfile, TalentReference

__all__ = [
    "AccountRelationshipSerializer",
    "AddToAccountSerializer",
    "CandidateStatusSerializer",
    "OutboundRequestSerializer",
    "RelationshipStatusSerializer",
    "SkillSerializer",
    "TalentProfileSerializer",
    "TalentProfileUpdateSerializer",
    "TalentReferenceSerializer",
]


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "title", "description", "color", *VENDOR_RECORD_FIELDS]


class TalentReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TalentReference
        fields = ["id", "profile", "email", *VENDOR_RECORD_FIELDS]


class ProfileReferenceSerializer(serializers.ModelSerializer):
    """A reference inside its profile: which vendor knows the person, under which id."""

    vendor = serializers.CharField(source="connection.vendor", read_only=True)

    class Meta:
        model = TalentReference
        fields = [
            "id",
            "connection",
            "vendor",
            "external_id",
            "email",
            "vendor_updated_at",
            "vendor_problems",
            "archived_at",
        ]


class TalentProfileSerializer(serializers.ModelSerializer):
    references = ProfileReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = TalentProfile
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "profession",
            "specialty",
            "years_experience",
            "do_not_hire",
            "skills",
            "references",
            "created_at",
            "updated_at",
        ]


class TalentProfileUpdateSerializer(serializers.ModelSerializer):
    """What staff keep locally about a person. Not the email: it is the key that matches vendor records, and
    changing it would split or merge people; names come from the vendors."""

    class Meta:
        model = TalentProfile
        fields = ["phone", "profession", "specialty", "years_experience", "do_not_hire"]

    def validate(self, attrs):
        profession = attrs.get("profession", getattr(self.instance, "profession", None))
        specialty = attrs.get("specialty", getattr(self.instance, "specialty", None))
        if specialty and specialty.profession_id and profession and specialty.profession_id != profession.pk:
            raise serializers.ValidationError({"specialty": ["This specialty belongs to another profession."]})
        return attrs

    def to_representation(self, instance):
        return TalentProfileSerializer(instance, context=self.context).data


class AccountRelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountRelationship
        fields = [
            "id",
            "profile",
            "account_ref",
            "status",
            "sub_status",
            "status_reason",
            "status_changed_at",
            "primary_contact_email",
            "primary_contact_ref",
            "do_not_hire",
            "do_not_hire_user_ref",
            "source",
            *VENDOR_RECORD_FIELDS,
        ]
        read_only_fields = fields


class RelationshipStatusSerializer(serializers.ModelSerializer):
    """Status, sub-status and reason move together, as Kamana requires ("sub_status and status_reason required
    if status is set"); the model layer refuses moves outside `AccountRelationship.status_transitions`."""

    status = serializers.ChoiceField(choices=AccountRelationship.Status.choices)
    sub_status = serializers.CharField(max_length=100, allow_blank=False)
    status_reason = serializers.CharField(max_length=255, allow_blank=False)

    class Meta:
        model = AccountRelationship
        fields = ["status", "sub_status", "status_reason"]

    def validate(self, attrs):
        missing = {name: ["Send status, sub_status and status_reason together."] for name in self.fields}
        for name in attrs:
            missing.pop(name, None)
        if missing:
            raise serializers.ValidationError(missing)
        return attrs

    def to_representation(self, instance):
        return AccountRelationshipSerializer(instance, context=self.context).data


class CandidateStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = CandidateStatus
        fields = [
            "id",
            "profile",
            "account",
            "candidate_email",
            "vendor_key",
            "client",
            "requisition_id",
            "requisition_title",
            "status_level",
            "level_id",
            "status",
            "status_detail",
            "status_date",
            *VENDOR_RECORD_FIELDS,
        ]


class AddToAccountSerializer(serializers.Serializer):
    """`{"connection": <id>}`: add the person to that connection's account (Kamana: looked up by email first)."""

    connection = serializers.PrimaryKeyRelatedField(queryset=VendorConnection.objects.all())

    def validate_connection(self, connection: VendorConnection) -> VendorConnection:
        profile = self.context["profile"]
        if connection not in addable_connections(profile):
            raise serializers.ValidationError(f"{connection.name} already has this person, or cannot add people.")
        problems = add_problems(profile, connection)
        if problems:
            raise serializers.ValidationError(problems)
        return connection


class OutboundRequestSerializer(serializers.Serializer):
    """What was queued: the outbox row's id, its state and where it goes."""

    id = serializers.IntegerField()
    operation = serializers.CharField()
    state = serializers.CharField()
    connection = serializers.IntegerField(source="connection_id")
