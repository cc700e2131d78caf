"""Vocabularies for the victim record: the NRM's exploitation types and HTCDS v2 methods of control."""

from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    TRANSGENDER_NON_BINARY = "transgender_non_binary", "Transgender or non-binary"
    UNKNOWN = "unknown", "Not known"


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", "Under 18"
    AGE_18_24 = "18-24", "18 to 24"
    AGE_25_34 = "25-34", "25 to 34"
    AGE_35_44 = "35-44", "35 to 44"
    AGE_45_54 = "45-54", "45 to 54"
    AGE_55_PLUS = "55+", "55 or over"
    UNKNOWN = "unknown", "Not known"


class ExploitationType(models.TextChoices):
    LABOUR = "labour", "Labour exploitation"
    SEXUAL = "sexual", "Sexual exploitation"
    CRIMINAL = "criminal", "Criminal exploitation"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    ORGAN_HARVESTING = "organ_harvesting", "Organ harvesting"
    UNKNOWN = "unknown", "Not known"


class MethodOfControl(models.TextChoices):
    """HTCDS v2 'meansOfControl' values."""

    DEBT_BONDAGE = "debt_bondage", "Debt bondage"
    TAKES_EARNINGS = "takes_earnings", "Takes earnings"
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", "Restricts access to finances"
    THREATS = "threats", "Threats"
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", "Psychological abuse"
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    FALSE_PROMISES = "false_promises", "False promises"
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", "Psychoactive substances"
    RESTRICTS_MOVEMENT = "restricts_movement", "Restricts movement"
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", "Restricts medical care"
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", "Excessive working hours"
    USES_CHILDREN = "uses_children", "Uses children"
    THREAT_OF_LAW_ENFORCEMENT = "threat_of_law_enforcement", "Threat of law enforcement"
    WITHHOLDS_NECESSITIES = "withholds_necessities", "Withholds necessities"
    WITHHOLDS_DOCUMENTS = "withholds_documents", "Withholds documents"
    OTHER = "other", "Other"
    NOT_SPECIFIED = "not_specified", "Not specified"


class SupportLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    INTENSIVE = "intensive", "Intensive"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    SUPPORT_COMPLETED = "support_completed", "Support completed"
    MOVED_AWAY = "moved_away", "Moved to another area"
    RETURNED_HOME = "returned_home", "Returned home safely"
    DISENGAGED = "disengaged", "Chose to stop support"
    NOT_A_VICTIM = "not_a_victim", "Not a victim of modern slavery"
    OTHER = "other", "Other"


class EngagementStatus(models.TextChoices):
    """Whether the victim chose to engage with the police investigation."""

    NOT_ASKED = "not_asked", "Not yet discussed"
    CONSIDERING = "considering", "Considering"
    ENGAGING = "engaging", "Engaging with police"
    DECLINED = "declined", "Declined to engage"
    WITHDRAWN = "withdrawn", "Stopped engaging"


class ConsentPurpose(models.TextChoices):
    SUPPORT = "support", "Support from the Navigator"
    SHARE_WITH_POLICE = "share_with_police", "Share identity with police"
    NRM_REFERRAL = "nrm_referral", "NRM referral"
    PARTNER_REFERRAL = "partner_referral", "Referral to partner organisations"


class ConsentMeans(models.TextChoices):
    WRITTEN = "written", "Signed in writing"
    VERBAL = "verbal", "Verbally, recorded by the Navigator"
    INTERPRETER = "interpreter", "Verbally through an interpreter"
    DIGITAL = "digital", "Digitally"


class OtherList(models.TextChoices):
    """Other lists a victim is known to appear on, for estimating the hidden number of victims."""

    POLICE = "police", "Police"
    NRM = "nrm", "National Referral Mechanism"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NGO_PARTNER = "ngo_partner", "NGO partner"
    HEALTH = "health", "Health services"
    OTHER = "other", "Other"
