import io

from django import forms

from navigator.core.models import Force

from .models import Source
from .mse import TableError, read_table

MAX_TABLE_BYTES = 1_000_000


class EstimateForm(forms.Form):
    title = forms.CharField(label="Name this estimate", max_length=200,
                            error_messages={"required": "Enter a name for this estimate"})
    source = forms.ChoiceField(label="Where do the lists come from?", choices=Source.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose where the lists come from"})
    table = forms.FileField(label="Capture-history table (CSV)", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
                            help_text="One 0/1 column per list and a last column 'count', one row per combination")
    force = forms.ModelChoiceField(queryset=Force.objects.all(), required=False, empty_label="All forces",
                                   label="Force (for Navigator's own records)")
    method = forms.ChoiceField(label="Model selection", initial="stepwise", widget=forms.RadioSelect, choices=[
        ("stepwise", "Stepwise (SparseMSE: add two-list terms with p < threshold)"),
        ("main", "Main effects only"), ("aic", "Best AIC over all models"), ("bic", "Best BIC over all models")])
    threshold = forms.FloatField(label="p-value threshold for stepwise", initial=0.02, min_value=0.0001,
                                 max_value=0.5)
    bootstrap = forms.IntegerField(label="Bootstrap replicates", initial=1000, min_value=0, max_value=10000,
                                   help_text="0 for the model-based interval only; 1,000 gives BCa intervals")
    seed = forms.IntegerField(label="Random seed (optional)", required=False, min_value=0,
                              help_text="The same seed gives the same bootstrap interval")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == Source.UPLOAD:
            upload = cleaned.get("table")
            if not upload:
                self.add_error("table", "Choose a CSV file with the capture-history table")
            elif upload.size > MAX_TABLE_BYTES:
                self.add_error("table", "The table must be smaller than 1 MB")
            else:
                try:
                    cleaned["capture_table"] = read_table(io.StringIO(upload.read().decode("utf-8-sig")))
                except UnicodeDecodeError:
                    self.add_error("table", "The table must be a UTF-8 CSV file")
                except TableError as error:
                    self.add_error("table", f"The table cannot be used: {error.message}")
        return cleaned
