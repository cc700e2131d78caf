import re

from django import forms

from navigator.core.models import Force

from .models import Decision

MAX_UPLOAD_BYTES = 512 * 1024 * 1024
REASON_MAX_CHARS = 5000
REF_MAX_CHARS = 100
# No reference or force code holds one (an import refuses them), and PostgreSQL cannot compare text holding NUL.
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")


class UploadForm(forms.Form):
    force = forms.ModelChoiceField(queryset=Force.objects.none(), label="Force", empty_label="Choose a force",
                                   error_messages={"required": "Choose the force these records belong to"})
    file = forms.FileField(label="Police records file", help_text="JSON Lines (.jsonl) or CSV, one record per line",
                           widget=forms.ClearableFileInput(attrs={"accept": ".jsonl,.ndjson,.csv"}),
                           error_messages={"required": "Choose a file to upload"})
    skip_invalid = forms.BooleanField(label="Import the good lines even if some lines are bad", required=False,
                                      help_text="Bad lines are left out and listed in the report")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        forces = Force.objects.filter(pk__in=user.force_ids)
        self.fields["force"].queryset = forces
        if len(user.force_ids) == 1:
            # A navigator deployed to one force has no choice to make: their force is chosen, with nothing to unpick.
            self.fields["force"].empty_label = None
            self.initial["force"] = forces.get()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".jsonl", ".ndjson", ".csv")):
            raise forms.ValidationError("The file must be a .jsonl or .csv file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 512 MB; import larger files with "
                                        "`navigator records import`")
        return upload


class ReasonField(forms.CharField):
    """Free text whose line breaks count as one character each, as the character count under the box counts them
    (browsers send a line break as two)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class ReferenceSearchField(forms.CharField):
    """Part of a record's reference. One holding a control character is refused here, with a message of its own,
    before Django's NUL check would give its own."""

    def to_python(self, value):
        value = super().to_python(value)
        if CONTROL_CHARACTER.search(value):
            raise forms.ValidationError("A reference holds no control characters (such as a tab or an invisible "
                                        "code): enter it as the record shows it", code="control_character")
        return value[:REF_MAX_CHARS]


class DecisionSearchForm(forms.Form):
    ref = ReferenceSearchField(label="Find a record by its reference", required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Your decision", choices=Decision.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "Select a decision"})
    reason = ReasonField(label="Reason", widget=forms.Textarea, max_length=REASON_MAX_CHARS,
                             help_text="What in the record led you to this decision. For “Needs more "
                                       "information”, say what you need: the force's police users read that reason",
                             error_messages={"required": "Enter the reason for your decision",
                                             "max_length": f"Reason must be {REASON_MAX_CHARS:,} characters or fewer"})
    victim_reference = forms.CharField(label="Link an existing victim record (optional)", required=False,
                                       max_length=20, help_text="Their reference, for example ESX-V-000123")
    open_victim = forms.BooleanField(label="Open a new victim record next", required=False)

    def __init__(self, *args, linked_victim: str = "", linked_now: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The victim filled in when triaging again: the current decision's, or (*linked_now* False) the one an earlier
        # decision on the record linked, so that deciding "potential" again does not invite a second victim record.
        self.linked_victim = linked_victim
        if linked_victim:
            self.fields["victim_reference"].help_text = (
                f"{linked_victim} is linked to this record now: it stays linked with a potential modern slavery "
                "decision, and another decision unlinks it" if linked_now else
                f"{linked_victim} was linked to an earlier decision on this record")

    def clean(self):
        cleaned = super().clean()
        reference = (cleaned.get("victim_reference") or "").strip().upper()
        if reference and reference == self.linked_victim and cleaned.get("decision") != Decision.POTENTIAL:
            cleaned["victim_reference"] = ""  # the form's own prefill: a changed decision simply leaves the victim
        wants_victim = cleaned.get("victim_reference") or cleaned.get("open_victim")
        if wants_victim and cleaned.get("decision") != Decision.POTENTIAL:
            self.add_error("decision", "Only a potential modern slavery decision can open or link a victim record")
        if cleaned.get("victim_reference") and cleaned.get("open_victim"):
            self.add_error("open_victim", "Either link an existing victim record or open a new one, not both")
        return cleaned
