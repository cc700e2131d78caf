from django import forms

from navigator.core.models import Classification, Force, Role, User

from .countries import country_choices
from .vocab import (
    AgeBand,
    ClosureReason,
    ConsentMeans,
    ConsentPurpose,
    EngagementStatus,
    ExploitationType,
    Gender,
    MethodOfControl,
    OtherList,
    Status,
    SupportLevel,
)

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_HINT = "For example, 27/3/1990"


class VictimForm(forms.Form):
    force = forms.ModelChoiceField(
        queryset=Force.objects.none(), label="Force", empty_label="Choose a force",
        error_messages={"required": "Choose the force this victim was identified in"},
    )
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter the victim's full name"}
    )
    aliases = forms.CharField(label="Other names used (optional)", required=False, widget=forms.Textarea,
                              help_text="One name per line")
    date_of_birth = forms.DateField(
        label="Date of birth (optional)", required=False, input_formats=DATE_FORMATS, help_text=DATE_HINT,
        error_messages={"invalid": "Date of birth must be a real date, for example 27/3/1990"},
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)
    address = forms.CharField(label="Address (optional)", required=False, widget=forms.Textarea)
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, widget=forms.RadioSelect,
                               initial=Gender.UNKNOWN)
    age_band = forms.ChoiceField(label="Age", choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    nationality = forms.ChoiceField(label="Nationality", required=False)
    exploitation_types = forms.MultipleChoiceField(
        label="Types of exploitation", choices=ExploitationType.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, as the NRM records them",
        error_messages={"required": "Select at least one type of exploitation, or 'Not known'"},
    )
    county_lines = forms.BooleanField(label="County lines", required=False,
                                      help_text="Criminal exploitation through a county-lines drug network")
    methods_of_control = forms.MultipleChoiceField(
        label="Methods of control (optional)", choices=MethodOfControl.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    known_to = forms.MultipleChoiceField(
        label="Also known to (optional)", choices=OtherList.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text="Other lists this person appears on; used to estimate how many victims nobody sees",
    )
    support_level = forms.ChoiceField(label="Support level", choices=SupportLevel.choices,
                                      widget=forms.RadioSelect, initial=SupportLevel.STANDARD)
    engagement_status = forms.ChoiceField(label="Engagement with the police investigation",
                                          choices=EngagementStatus.choices, initial=EngagementStatus.NOT_ASKED)
    classification = forms.ChoiceField(label="Security classification", choices=Classification.choices,
                                       widget=forms.RadioSelect, initial=Classification.OFFICIAL_SENSITIVE)

    navigators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label="Assigned navigators", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Assign at least one navigator"},
    )

    def __init__(self, *args, user, creating: bool, victim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", "Not known"), *country_choices()]
        if creating:
            self.fields["force"].queryset = Force.objects.filter(pk__in=user.force_ids)
            del self.fields["navigators"]
        else:
            del self.fields["force"]
            self.fields["navigators"].queryset = User.objects.filter(
                role=Role.NAVIGATOR, deployments__force=victim.force, is_active=True).order_by("first_name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("county_lines") and "criminal" not in cleaned.get("exploitation_types", []):
            self.add_error("county_lines", "County lines is criminal exploitation: also select 'Criminal exploitation'")
        return cleaned


class CloseVictimForm(forms.Form):
    reason = forms.ChoiceField(label="Why is support ending?", choices=ClosureReason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select why support is ending"})
    closed_on = forms.DateField(label="Date support ended", input_formats=DATE_FORMATS, help_text=DATE_HINT,
                                error_messages={"required": "Enter the date support ended",
                                                "invalid": "Date support ended must be a real date"})


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label="What did the victim consent to?", choices=ConsentPurpose.choices,
                                widget=forms.RadioSelect, error_messages={"required": "Select what was consented to"})
    given_on = forms.DateField(label="Date consent was given", input_formats=DATE_FORMATS, help_text=DATE_HINT,
                               error_messages={"required": "Enter the date consent was given",
                                               "invalid": "Date consent was given must be a real date"})
    means = forms.ChoiceField(label="How was consent recorded?", choices=ConsentMeans.choices,
                              widget=forms.RadioSelect, error_messages={"required": "Select how consent was recorded"})


class VictimFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False,
                        help_text="A reference (ESX-V-000123), a full name, or a date of birth (27/3/1990)")
    force = forms.ModelChoiceField(queryset=Force.objects.none(), required=False, empty_label="All my forces")
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    support_level = forms.ChoiceField(choices=[("", "Any support level"), *SupportLevel.choices], required=False)
    exploitation = forms.ChoiceField(
        label="Exploitation", choices=[("", "Any exploitation"), *ExploitationType.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = user.working_forces()
