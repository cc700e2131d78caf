"""Precision and recall at the default threshold on sets of synthetic police narratives.

labelled.jsonl: written with the indicator library. heldout.jsonl: written independently, after the
library (varied verbs and word order, passives, abbreviations, typos, ALL CAPS, long logs with the
indicator buried, many look-alike negatives); the library must not be tuned to its sentences, so it
measures how well the engine generalises to unseen wording.

Held-out history: library 2026.1.0 (phrase regexes) n=174 tp=29 fp=3 fn=51, precision 0.906,
recall 0.362; library 2026.2.0 (phrases plus co-occurrence rules, self-possession cue, single strong
coercion indicators flag alone) tp=63 fp=4 fn=17, precision 0.940, recall 0.787; library 2026.3.0 (rotation
of women and linked sex adverts, wages diverted or far below the minimum, controller references, cannabis gardeners,
organised theft, wider county-lines, labour-gang and disorientation terms) tp=73 fp=3 fn=7, precision 0.961,
recall 0.912; library 2026.4.0 (developed on the blind set, below) tp=74 fp=3 fn=6, precision 0.961, recall 0.925.

blind.jsonl: 246 narratives written by someone who saw neither the library nor the other sets (police
log styles, weak and strong positives, hard look-alike negatives), first measured on library 2026.3.0:
tp=52 fp=13 fn=49, precision 0.800, recall 0.515 (2026.2.1 on it: precision 0.763, recall 0.446). This is
the honest figure for unseen wording. Tuning the library to its sentences would turn it into one more
development set; record here if that happens. It happened: library 2026.4.0 was developed on the blind set's
misses and false alarms (child sexual and criminal exploitation signs, repeat missing episodes, cuckooing, many
accounts or claims at one address and cards used together, people locked in, others' phones and key cards held,
pleas for help, work until a debt is paid, deferred pay, marriage of people lacking capacity or of distressed
children; consenting sham marriages, padlocked gates, 'SCA' as the Serious Crime Act and 'holds own passport' no
longer count): blind tp=100 fp=7 fn=1, precision 0.935, recall 0.990, so the blind set is now a development set
like the others. The unbiased measure of 2026.4.0 is the second blind set (blind2.jsonl), which the library was
not developed against. Labelled set 2026.4.0 (29 new records): tp=130 fp=3 fn=0, precision 0.977, recall 1.000.

blind2.jsonl: 263 narratives in other voices (response officers, analysts, custody, Border Force, housing,
health, schools, banks, labour inspectors), written blind like the first and first measured after 2026.4.0 was
finished: library 2026.3.0 tp=46 fp=20 fn=63, precision 0.697, recall 0.422; 2026.4.0 tp=52 fp=14 fn=57,
precision 0.788, recall 0.477. So tuning on a blind set's misses lifted that set's recall to 0.99 but unseen
wording only by 0.06: recall on text nobody tuned to is about half. Its minimums below guard against
regressions; do not develop against its records (write a fresh blind set when the library is next tuned).

dev3.jsonl: 320 narratives (137 potential victims) in police, intelligence, custody and partner-referral voices
(A&E, GP, schools, banks, DWP, fire service, outreach, unions), written by someone who never saw the library. Library
2026.4.1 on it: tp=89 fp=19 fn=48, precision 0.824, recall 0.650. Library 2026.5.0 was developed on its misses and
false alarms, grouped by the sign they express and written as families of wording (people sold, recruitment fees,
earnings quotas, documents 'kept safe', pay to relatives or shared accounts, speaking for, transport in one van,
children dealing or working in school hours, domestic work, cuckooing; false documents, the FMU, 'controlling and
coercive behaviour', 'locked up' and ages like 'married 10 years' no longer count as control): tp=134 fp=15 fn=3,
precision 0.899, recall 0.978, so it is a development set now and says little about unseen wording. Held-out recall fell
from 0.925 to 0.912 (HO-P031 had counted a threat of prison, 'locked up', as confinement); labelled set 2026.5.0
(13 new records): tp=138 fp=3 fn=0, precision 0.979, recall 1.000.

dev4.jsonl: 300 narratives (129 potential victims), half of them 500-1,400-character logs with the signs buried
among routine detail, written blind to the library. Library 2026.5.0 on it before anything was developed on it:
tp=95 fp=32 fn=34, precision 0.748, recall 0.736. blind3.jsonl: 260 narratives (112 potential victims) written blind
to the library and the other sets; library 2026.5.0: tp=60 fp=10 fn=52, precision 0.857, recall 0.536.

The wording model (engine/wording.py, model 2026.1.0) is trained on labelled, heldout, blind, dev3 and dev4, so its
figures on those are in-sample; blind2 and blind3 were never trained or tuned on. It flags a record that shows at
least one indicator when the record's words read like potential modern slavery (probability >= 0.7). Indicators
alone -> with the model: blind2 precision 0.786 -> 0.856, recall 0.505 -> 0.817 (tp 55 -> 89, fp 15 -> 15); blind3
0.857 -> 0.891, recall 0.536 -> 0.804 (tp 60 -> 90, fp 10 -> 11). Its settings (words only, C=16, threshold 0.7,
only records with an indicator) were chosen among a few variants whose blind2/blind3 totals were looked at (all
within a few points of each other), so blind4.jsonl, written after that choice, is the clean measure: 260
narratives (112 potential victims) written blind, measured once: indicators alone tp=56 fp=24 fn=56, precision 0.700,
recall 0.500; with the wording model tp=90 fp=26 fn=22, precision 0.776, recall 0.804. Do not develop against
blind2, blind3 or blind4; write a fresh blind set before claiming a new unseen-wording figure.

dev5.jsonl (300, 132 potential victims: partner agencies, Border Force, health, housing, finance, charities) and
dev6.jsonl (300, 122: terse command-and-control logs, stops, custody, mostly routine incidents), written blind, measured
before anything was trained on them: dev5 indicators alone 0.655 / 0.432, with wording model 2026.1.0 0.728 / 0.750;
dev6 0.923 / 0.492 -> 0.944 / 0.689. Wording model 2026.2.0 is trained on them too (settings unchanged): blind2
0.856 / 0.817 (unchanged), blind3 0.891 / 0.804 -> 0.892 / 0.812, blind4 0.776 / 0.804 -> 0.791 / 0.812, and on the
benchmark's routine narratives it promotes 2 records in 20,000 instead of 15.

Library 2026.6.0 was developed on dev5's and dev6's misses (families of wording by meaning, and four context signs
so that the wording model can judge records that had no indicator at all), so both are development sets for the
library too: indicators alone dev5 0.655 / 0.432 -> 0.703 / 0.538 (tp 57 -> 71, fp 30 -> 30), dev6 0.923 / 0.492 ->
0.936 / 0.598 (tp 60 -> 73, fp 5 -> 5); with the wording model (trained on them, so in-sample) dev5 0.786 / 0.833 ->
0.806 / 0.947, dev6 0.947 / 0.730 -> 0.960 / 0.984. Labelled set 2026.6.0 (8 new records): tp=142 fp=3 fn=0.

Wording model 2026.2.1 is 2026.2.0 retrained after library 2026.6.0 added 8 labelled records (settings unchanged).
Library 2026.6.0 with it, on the sets nothing was trained or tuned on: blind2 0.848 / 0.817 (tp 89, fp 16), blind3
0.891 / 0.804 (tp 90, fp 11), blind4 0.795 / 0.830 (tp 93, fp 24); indicators alone blind2 0.781 / 0.523, blind3
0.857 / 0.536, blind4 0.711 / 0.527. Library 2026.6.1 (innocent explanations for documents held, 'unless') removes one
false alarm on each blind set and three on dev4, no true positive: blind2 0.856 / 0.817, blind3 0.900 / 0.804, blind4
0.802 / 0.830.

Three more sets were written blind this time: dev7.jsonl (300, 136 potential victims: mostly Border Force and
immigration settings, ports, lorries, small boats, fishing crews, asylum hotels), dev8.jsonl (300, 135: partner
agencies and safeguarding referrals, MASH, HMO and licensing visits, banks, GLAA, HMRC) and blind5.jsonl (260,
112: every voice, measurement only). First measures with library 2026.6.1 and wording model 2026.2.1, engine:
dev7 0.799 / 0.787, dev8 0.836 / 0.904, blind5 0.788 / 0.795 (indicators alone 0.718 / 0.545).

Library 2026.7.0 was developed on dev7's misses and false alarms only: 'nobody', 'none' and 'no one' negate like
'no' ("nobody holds their documents", "nobody sleeps on site"); documents held in log shorthand ("Skipper holds all
4 passports", "Driver holds all 6 IDs", "holds her ppt", "keeps his ID", "agent holds boy's ppt"), and a person
carrying their own documents "with him" is not documents held; crews not allowed ashore; "they lock me"; the first
month worked for free; wages paid to an agent; money handed to a driver or minder; a set sum taken from each
worker; bank cards held (plural). On sets it was not developed on it added true positives (dev4 +2, blind3 +1,
dev8 +2 indicators alone) and removed false alarms (blind4 -1, dev8 -1), losing none.

Wording model 2026.3.0 also *holds back*: a record the indicators flag by less than a point, with no sign that
flags a record on its own (weight 1 or more: confinement, violence, threats to family, documents held, debt
bondage, explicit references ...), is not flagged when the model's probability is below 0.1. Measured first with
model 2026.2.1 on the six sets it had never seen (blind2-5, dev7, dev8): of 718 flagged records, 116 false
alarms, holding back at any probability from 0.05 to 0.2 removed 52-97 false alarms and no true positive, so the
setting was not chosen for one set. Without the strong-sign rule it removed twice as many false alarms on the
blind sets, still losing none, but on the benchmark's narratives it held back strong signs buried in routine text
("threatened that his family would be hurt" in a record closed as a civil dispute), which is what a navigator most
needs to see. Model 2026.3.0 is trained on dev7 and dev8 too (settings unchanged). Library 2026.7.0 with model
2026.3.0, engine, on the sets nothing was trained or tuned on: blind2 0.856 / 0.817 -> 0.882 / 0.826, blind3
0.900 / 0.804 -> 0.922 / 0.839, blind4 0.802 / 0.830 -> 0.869 / 0.830, blind5 0.788 / 0.795 -> 0.841 / 0.804
(blind5 is only counted; its records are never read). Development sets (trained or tuned on): labelled 0.979 /
1.000, heldout 0.988 / 1.000, blind 0.971 / 1.000, dev3 0.938 / 1.000, dev4 0.855 / 0.915, dev5 0.839 / 0.947, dev6
0.968 / 0.984, dev7 0.908 / 0.875, dev8 0.898 / 0.911.

Library 2026.8.0 was developed on dev8's misses (sold to men, children handing proceeds to an adult, 'they know my
house', sextortion threats, webcam shows for a man's clients, sponsorship threats and fees, sleeping in a garage,
paid in food and cigarettes, benefits handed over): dev8 0.898 / 0.911 -> 0.904 / 0.978; on the blind sets, which
were only counted (their records are never read), blind3 0.922 / 0.839 -> 0.922 / 0.848, blind4 0.869 / 0.830 ->
0.870 / 0.839, blind5 unchanged (indicators alone recall 0.545 -> 0.554); no new false alarm on any set.

Library 2026.8.1 with an engine change, from dev7's and dev8's false alarms: a rule no longer fires when its second
term is negated in a list of what is absent ("no fee to any agent, no debt", "no loans or debts", "no threats or
debts"), and documents kept by the crew, workers or staff themselves are not documents held. False alarms fell on
dev3 (9 -> 7), dev4 (20 -> 19), dev5 (24 -> 23), dev7 (12 -> 8), dev8 (14 -> 12) and blind5 (17 -> 15: 0.857 /
0.804, indicators alone 0.738 / 0.554), and no true positive was lost on any set. Library 2026.8.2 mends a rule
that never fired ('paying off the debt'): dev7 0.937 / 0.875 -> 0.938 / 0.882, no other set changed.

blind6.jsonl (260, 112 potential victims) was written blind after all of the above, with both labels' lengths and
procedural words ("own", "NFA", "checked", "NRM") deliberately balanced, and measured once: the session's starting
engine (library 2026.6.1, model 2026.2.1) 0.725 / 0.848, indicators alone 0.657 / 0.616; library 2026.8.2 with model
2026.3.0 0.760 / 0.848, indicators alone 0.670 / 0.616. This is the clean figure for this session's work: fewer false
alarms, the same recall, and a smaller gain than the blind sets that were counted along the way suggest.

Library 2026.8.3 then answered a review of this session's additions against ordinary police wording (no set was
read for it): phrases that would flag everyday text ("he knows where I live", "they sold me a car", "had his ID
checked", "did not go ashore", a taxi fare handed to the driver, "paying off her debt" to the council) were narrowed
or removed, documents kept by the owner count again, and a negation breaks a pair only in the rules marked
negation_breaks (debt, documents held, living at work), not where absence is the sign ("no phone"). Engine:
blind 0.971 -> 0.981 precision, dev4 0.861 / 0.915 -> 0.867 / 0.907, dev5 0.845 -> 0.845, dev7 0.938 / 0.882 ->
0.930 / 0.875, dev8 0.917 / 0.978 -> 0.916 / 0.970; blind2-5 unchanged with the model (indicators alone lost one
true positive on blind2 and blind5); blind6, counted a second time, 0.760 / 0.848 -> 0.766 / 0.848 (indicators
alone 0.670 / 0.616 -> 0.680 / 0.625).

dev9.jsonl (300, 130 potential victims: shorthand logs and intelligence, call handlers, interpreted accounts,
inspectors, fire, housing, schools, clinics, banks; fishing, building, care, kitchens, parcels, cockles, domestic
work) and blind7.jsonl (260, 110, every voice, labels' lengths and closing words balanced) were written blind and
first measured with library 2026.8.3 and model 2026.3.0: dev9 0.764 / 0.923 (indicators alone 0.698 / 0.800), blind7
0.828 / 0.918 (0.732 / 0.745). Most of dev9's 37 false alarms were checks that found nothing, flagged by the names of
teams and procedures in them ("MSHT SPOC consulted", "NRM considered"). Two engine changes, from dev9: an explicit
reference (naming modern slavery, MSHT, the NRM, the GLAA) no longer exempts a record from being held back, since it
is a reason to look rather than a sign of exploitation, and "not required", "not met" and "no indicators" after a
hit negate it. On every set no true positive was lost and false alarms fell: dev4 18 -> 14, dev5 23 -> 17, dev7 9 ->
6, dev8 12 -> 8, dev9 37 -> 28, blind2 12 -> 11, blind4 14 -> 13, blind6 29 -> 27. Library 2026.9.0 was then
developed on dev9's misses (not knowing which city 'this is', not keeping the money one earns, a man who keeps the
money, a plea to go home in tears, a threat for stopping): dev9 recall 0.923 -> 0.962, dev4 0.907 -> 0.915, no new
false alarm on any set; blind2-6 unchanged with the model (indicators alone: blind5 one more true positive). Wording
model 2026.4.0 is 2026.3.0 retrained with dev9 and six new labelled records (settings unchanged): blind2 0.891 / 0.826
-> 0.901 / 0.835, blind5 0.857 -> 0.865, blind6 0.779 / 0.848 -> 0.793 / 0.857, blind3 and blind4 unchanged, dev3 one
more false alarm; dev9, now in-sample, 0.857 / 0.969.

A review of these changes against ordinary police wording (no set was read for it) found them too wide, and library
2026.9.2 with the engine narrows them: "not required", "not met", "not indicated" and "no indicators" negate only an
explicit reference ("NRM not required"), never a sign ("locked in the flat ..., no indicators of drug use"); only
indicators marked 'mention' (modern slavery, MSHT, the GLAA, a CSE or exploitation concern) lose the hold-back
exemption, while an NRM referral or Duty to Notify keeps it; the new disorientation, money, plea and threat wording is
narrowed (not 'it was', not a caller unable to give an address, not drunk or lost children, the person's own
earnings, 'they' threatening the house or family) and 2026.9.1's 'never took her wages' is withdrawn. Cost on the
sets, engine: dev4 14 -> 16 false alarms, dev5 17 -> 18, dev7 6 -> 7, blind2 10 -> 11 (0.892 / 0.835), dev9 recall
0.969 -> 0.962; blind3-6 unchanged (blind6 0.793 / 0.857). Library 2026.9.3 then stopped counting 'has his passport'
as documents held by someone else (most often the person has it) unless a controller, 'he' or a male relative has
hers: blind6 false alarms 25 -> 18, blind4 13 -> 12, blind5 14 -> 13, blind3 one true positive fewer. (The blind
sets' counts were looked at for this, so blind7 below is the clean figure.)

dev10.jsonl (300, 130: British and Irish victims and vulnerable adults, long crime reports with the signs buried,
victims' own words in slang and broken English, Welsh, Scottish, Northern Irish and rural settings), written blind,
was first measured with library 2026.9.3 and model 2026.4.0: 0.760 / 0.708, indicators alone 0.651 / 0.415 (the
session's starting engine 0.736 / 0.708): the lowest recall of any set. Library 2026.10.0 was developed on its
misses (a debt someone says the person owes, new debt_claimed; threats for refusing or talking, new
threat_if_refusing; 'he takes all my money', a pension collected by someone, 'he's got my card'; paid in food in the
worker's words; cuckooing in the occupant's words; 'I go where he books'; told what to say): dev10 0.787 / 0.823,
dev4 and dev7 one and two more true positives, blind4 and blind6 one more each, no new false alarm on any set.
Wording model 2026.5.0 is retrained with dev10 and three new labelled records: dev10 (in-sample) 0.871 / 0.885;
blind2 0.892 / 0.835 -> 0.891 / 0.826, blind3 0.922 -> 0.931, blind4 0.888 / 0.848 -> 0.889 / 0.857, blind5 0.874 ->
0.882, blind6 0.843 -> 0.851; heldout lost one true positive (0.988 recall). It held back a short record of two
strong signs ("the manager keeps the wages; she has no control over her own money"), so holding back now needs 20
words or more (a ruled-out concern lists what was checked): blind3 keeps one false alarm it had removed (0.922),
heldout one (0.975); nothing else changed.

A review of library 2026.10.0 against ordinary police wording (no set was read for it) found 17 ordinary records it
newly flagged: civil debts ("now he says I owe him interest"), a lodger owing for the room, threats in domestic abuse,
bullying and curfews ("or mum would kill her"), a witness afraid to be called a grass, keys held by carers or taken
in a robbery, a staff meal or a family dinner, a pension collected under a power of attorney, "I go where they send
me" from an agency nurse. Library 2026.10.1 narrows each (a claimed debt or a threat needs the work, running or drugs
it enforces in the sentence; paid in food needs no pay and the worker's words; and so on). The cost on the sets,
engine: dev10 recall 0.885 -> 0.846 (0.866 / 0.846), dev4 one true positive fewer, dev7 two, blind4 one (0.888 /
0.848), blind6 one (0.850 / 0.857); no false alarm more or fewer. The sets are narratives written about exploitation
and its look-alikes, so they under-count the ordinary records a real force holds; the review's records are the
better guide to that.

blind7 counted a second time, after all of the above (library 2026.10.1, model 2026.5.0): 0.842 / 0.918 (tp 101, fp
19), indicators alone 0.730 / 0.736; at the session's start 0.828 / 0.918 (fp 21), 0.732 / 0.745. This is the clean
figure for the session: two false alarms fewer, the same recall. Library 2026.10.2 then stopped reading a cross
parent ('or mum would kill her') as a threat to the family; no set changed.

Three sets were written blind next: dev11.jsonl (300, 130: signs seen by neighbours, drivers, banks, clinics and
teachers, victims' cover stories, controllers seen through intelligence), blind8.jsonl (260, 110, every voice; only
counted) and routine1.jsonl (500 ordinary records of a force's days with 11 potential victims buried among them).
The session's starting engine (2026.10.2, model 2026.5.0): dev11 0.812 / 0.862 (indicators alone 0.636 / 0.538),
blind8 0.806 / 0.909 (0.718 / 0.673), routine1 15 of 489 ordinary records flagged and 11 of 11 potential victims.
Eighteen of dev11's misses scored nothing at all. Library 2026.11.0 was developed on dev11 (others' ID documents,
debts worked off or grown, money taken from each woman, worked for keep, drug debts, 'be nice to his friends',
shoplifting from a list ...; modern slavery named in a sentence about training does not count) and on routine1's
false alarms, which made routine1 a development set and routine2.jsonl (500 ordinary records, written blind) the
clean count; the engine reads a checklist question answered bare no ("Asked if anyone held his papers - no") as
negating what it asked. Wording model 2026.6.0 is retrained with dev11. A review of 2026.11.0 against ordinary
police wording found 17 ordinary sentences it flagged and 13 real signs its exemptions negated; 2026.11.2 narrows
each, and none of the review's 171 sentences is judged differently from the starting engine. Result, engine: dev11
0.885 / 0.946 (in-sample), dev4 0.881 -> 0.894 precision, blind2 0.891 / 0.826 -> 0.892 / 0.835, every other
development and blind set unchanged; blind8 at the session's end 0.806 / 0.909, unchanged: dev11's families did
not reach it. routine1 15 -> 7 false alarms (in-sample); routine2, counted at the start and the end, 18 -> 15 of 489
ordinary records (36.8 -> 30.7 per 1,000), 11 of 11 potential victims found by both. The narrower 'same account'
cost blind5 and blind7 one true positive each with indicators alone: there it had matched a bank account.

routine3.jsonl (500 ordinary records of a city force, domestic abuse the largest group, with look-alikes written in
on purpose: passports held by partners, pay disputes, checks of car washes that found nothing) was written blind
and counted with the starting engine and at the end: 40 of 489 ordinary records flagged (81.8 per 1,000) both
times, 11 of 11 potential victims found. Most false alarms on ordinary records are domestic abuse between partners,
whose coercive control shows exploitation's signs. A 'look-alike' was built and taken out again: holding back a
record marked as domestic abuse (DASH, IDVA, MARAC ...) whose signs are all ones coercive control shares, when the
wording model reads it as unlike modern slavery, removed false alarms on every set without losing a true positive
there (routine2 15 -> 12, routine3 40 -> 36, blind8 one fewer), but a review wrote 12 realistic records of
exploitation by partners and families that it held back: the model's test does not tell them apart in log style,
and the signs that do (documents held, threats, a child, a car wash) were the ones it had to explain to remove
anything. Narrowed to weak signs only it held back nothing on any set. Letting the wording model flag records with
no indicator at all (probability 0.9) would have found 66 more potential victims on blind2-7 and no false alarm on
routine1, but its strongest words are 'says', 'said', 'told' and 'they', the style of the synthetic sets rather than
signs: it stays a second opinion until it is trained on real decisions.

Two more sets were written blind on domestic abuse, the largest source of false alarms: dev12.jsonl (300, 130
potential victims: exploitation by partners and families beside coercive control, financial abuse, strict parents,
arranged marriages and passports taken in custody rows, which use the same words) and routine4.jsonl (500 ordinary
records of a city force, a quarter of them domestic abuse, 11 potential victims, 5 of them in families). The
starting engine (library 2026.12.1, model 2026.6.0): dev12 0.810 / 0.985 (30 false alarms), routine4 18 of 489
ordinary records flagged. Library 2026.13.0 marks the signs that coercive control between partners shows too
(money, phone, movements, friends, documents, threats of deportation, violence, a partner forcing sex) and reads
whose hands they are in: a sentence naming a partner and no boss, agent, clients or associates, or naming nobody in a
record framed as domestic abuse (DASH, CCB, IDVA ...). There they count but flag nothing alone: the wording model or
a sign of another kind (sold, worked, made to offend) must flag the record. partners.jsonl (60 potential victims
exploited by partners, written blind as domestic abuse logs, the exploitation in one or two sentences) tests that
risk: the starting engine found 45, the domestic reading alone 44; eight families of wording from its misses (a
partner 'lending' her to men, making her hold or drop drugs, letting his mates have sex with her, rent paid by
sleeping with others, 'paid her family for her') bring it to 52, so it is a development set now. Result: dev12
0.877 / 0.985 (18), routine4 8 of 489, routine1 7 -> 5, dev3-dev11 12 false alarms fewer, no true positive lost
on any development set; on the sets only counted, routine2 15 -> 12 (24.5 per 1,000), routine3 40 -> 32 (65.4 per
1,000), blind8 0.806 -> 0.813 precision at the same recall, blind4 one false alarm fewer, blind6 one potential
victim more. One blind3 record was lost on the first try (a courier threatened by her boyfriend's associates) and
read: associates and dealers now count as others who exploit, which restored it.
Library 2026.13.1 reads a tent by a canal or a shed on an allotment as rough sleeping: routine4 8 -> 6, dev10 14 ->
13. Counted once more after it: blind2 0.901 / 0.835, blind7 0.849 / 0.918 (one false alarm fewer each).
Library 2026.13.2 adds five more families from partners' misses (beaten for not making enough or for takings under a
sum, made to go live on a site, bills paid by seeing men, paid in food only, made to sign for parcels): partners 52
-> 56 of 60, no other development set changed.
A review of this session's partner reading wrote 134 records of potential victims built to defeat it (negated framing,
surnames in capitals, a partner's relatives and gangs, business partners, dash cams, gangs' "coercive behaviour"):
the starting engine flagged 131 of them and 2026.13.2 121. Library 2026.13.3 narrows the reading: 131 again (indicators
alone 101: the partner reading leaves more to the wording model), and every set as before.
partners2.jsonl (100: 60 victims exploited by partners, 40 records of domestic abuse without exploitation, all as
domestic abuse logs) was written blind and counted: the starting engine flagged 49 victims and 11 of the 40; with
partner-held signs flagging nothing alone, 44 and 6. That loss made the reading a hold-back instead: a record whose
only signs that flag are held by a partner is held back (listed apart, with the wording model's sentence) only when
the model finds its words more likely domestic abuse than modern slavery (probability below one half), and without
the model nothing is held back. Counted again: 46 victims flagged and the 3 others of the 49 listed as held back,
7 of the 40 flagged; routine3 33 (67.5 per 1,000), routine2 12, blind2-8 unchanged; partners_review 131, partners
56; dev12 19, routine1 6 false alarms.

routine5.jsonl (a rural and coastal county force: farms, packhouses, a harbour, a port) and routine6.jsonl (a large
metropolitan force) are 500 ordinary records each with 11 potential victims buried among them, written blind after
library 2026.14.1 and counted once, before anything was developed: routine5 11 of 11 victims and 5 of 489 ordinary
records flagged (10.2 per 1,000), routine6 11 of 11 and 18 (36.8 per 1,000); indicators alone 19 and 24 false alarms,
10 of 11 victims each. Library 2026.15.0 was then developed on routine5's five false alarms (a fire "confined to" the
kitchen, a person kept in an interview room, being driven to work by a husband, read as the other partner-held signs):
routine5 5 -> 2 (in-sample), routine2 12 -> 11, every other set unchanged, no true positive lost anywhere. routine6
stays counted only.

routine7.jsonl (one English force's ordinary day, 122 of its ordinary records written as look-alikes of exploitation)
was written blind after library 2026.15.0 and counted before anything was developed: 11 of 11 victims and 10 of 489
ordinary records flagged (20.4 per 1,000). Library 2026.16.0 was developed on those ten (parents grounding a
child, a parent's or a teacher's holding of children's passports, a worker who lives in a town with a partner):
routine7 10 -> 7 (in-sample), heldout 2 -> 1, no true positive lost anywhere (a review then narrowed two of them).
(Requiring drugs or goods after "told to move" removed a scam's false alarm but lost a blind3 victim to the
indicators alone: not done.)

Libraries 2026.16.1 to 2026.17.2 came from ordinary police wording probed sentence by sentence, not from any set
(each phrase is a test in test_engine.py beside the sign it must not hide); the sets hold few such phrases: blind5
+1 victim (full and alone), blind8 and routine3 -1 false alarm each, dev4 +1 victim alone, nothing lost.

routine8.jsonl (a Border Force command's ordinary fortnight: an airport, a ferry port, an airfield and a parcel hub,
with the port police and Immigration Enforcement) and routine9.jsonl (border and port teams, Immigration Enforcement
visits to businesses and a port town's control room; only counted) were written blind and counted with library
2026.17.11 before anything was developed: routine8 67 of 489 ordinary records flagged (137.0 per 1,000; indicators
alone 72) and 9 of 11 victims (alone 6), routine9 15 (30.7 per 1,000; alone 22) and 8 of 11 (alone 7). Border
wording was the engine's blind spot: children's passports held by a parent, a removal's passport "HO held", a ship's
agent or master holding crew documents, "escorted by crew", "no shore leave requests", clandestine entrants who paid a
smuggler with "nothing owed". Library 2026.18.0 was developed on routine8's false alarms (half of its ordinary records
are shift logs built from repeated entries, so one excuse removes many): routine8 67 -> 12 (in-sample) and 10 of 11
victims; on the sets only counted, routine3 31 -> 30, blind8 21 -> 20, routine9 unchanged with the full engine (alone
22 -> 20); no true positive lost on any set.

routine10.jsonl (a city force's public protection fortnight: domestic abuse the largest group, coercive control,
forced-marriage orders, missing children, adult safeguarding) was written blind and counted with library 2026.18.0
and wording model 2026.6.0: 47 of 489 ordinary records flagged (96.1 per 1,000), 11 of 11 victims. Most were
coercive control by a partner ("he locked her in the bathroom during the argument", "she has to ask him for money")
that the partner reading did not hold back, because the wording model read it as more like exploitation than not: it
had never been trained on a domestic abuse record that was not exploitation. Wording model 2026.7.0 keeps the model's
coefficients for promotion and holding back and adds a partner reading, refitted with routine10 and partners
(exploitation by partners, recorded as domestic abuse) added: routine10 47 -> 32 (in-sample); on the sets only
counted, partners2 47 -> 48 of 60 victims (7 of 40 records of domestic abuse flagged, as before); routine1, routine4,
routine6 and dev12 one false alarm fewer each; nothing else changed and no true positive was lost. Refitting the
whole model on them instead took routine10 to 19 and routine3 30 -> 27, but promoted everyday records more readily
("the neighbour paid him 10 pounds to move stuff out of the shed"), and the blind sets gained 3 false alarms.
Library 2026.18.1, from routine10's false alarms: a friend or relative sleeping on the sofa, a parent taking a child's
phone and a teenager's keep from his wages are not signs: routine10 32 -> 28 (in-sample), dev3 one false alarm fewer
with the indicators alone, nothing lost. (A first version, a parent named anywhere before a phone taken, hid a dev11
victim, "asked to borrow his phone to ring her mum - 'he takes my phone'", and a blind3 one, counted only.)

routine11.jsonl (a Welsh or Northern force's month of vulnerability records: domestic abuse, coercive control,
honour-based abuse, missing people, adult safeguarding; 200 of its ordinary records written as look-alikes) was
written blind and counted after library 2026.18.1 and wording model 2026.7.0: 74 of 489 flagged (151.3 per 1,000;
the session's starting engine 75), 11 of 11 victims. So the partner reading refitted on routine10 barely carried over
to another force's wording. Its false alarms were then counted by the signs that flagged them (their words were not
read): 18 held wages or benefits paid to someone else, a sign the partner reading could not hold back, and 22 were
promoted by the model with only a partner's signs, which the partner reading was never asked about. Library 2026.18.2
marks wages paid to someone else as a sign coercive control shows too, and the engine asks the partner reading before
the model promotes a record whose only signs are a partner's: routine11 74 -> 50, routine10 28 -> 23, routine3
30 -> 28, routine2 11 -> 10, no victim lost on any set (partners, partners2 and partners_review included). routine11
is therefore no longer a clean measure either.

dev13.jsonl (300, 130 potential victims: Border Force at airports, ports, parcel hubs and airfields, Immigration
Enforcement visits, asylum screening, fishing crews, seasonal and domestic workers) was written blind and first
measured with the session's starting engine: 0.752 / 0.792 (indicators alone 0.693 / 0.608), unchanged by the work
above. Library 2026.19.0 was developed on its misses (a skipper, driver or "that man" who has the documents, a debt for
the ticket, work "till paid", visa money cut from the salary, a ticket paid by the man meeting her, not knowing the
employer or farm, bank cards in other names, crews not ashore for months, an employer with the worker's online banking)
and one group of false alarms (the person's own documents in their own words, "she holds her passport"): dev13 0.803 /
0.908 (in-sample); on the sets only counted, routine9 8 -> 10 of 11 victims, blind3 one victim more (0.922 / 0.848),
blind6 two false alarms fewer (0.890 / 0.866), blind2 one victim more with the indicators alone; dev6, dev8 and dev10
one victim more each; no set lost a victim or gained a false alarm.

blind9.jsonl (260, 110 potential victims, every voice from response officers to transplant clinics, written blind) is
only counted. The session's starting engine (library 2026.17.11, model 2026.6.0): 0.941 / 0.873 (indicators alone
0.854 / 0.636); library 2026.18.2 with model 2026.7.0: 0.950 / 0.873 (0.864 / 0.636); library 2026.19.0: 0.951 /
0.882 (0.866 / 0.645). Its records were never read. Library 2026.19.1 (the engine's negation: a question written out
and answered no, "Q: Has anyone threatened you or your family? A: No.", and a screening checklist answered no) took two
false alarms from dev13 (0.815 / 0.908) and changed no other set. Library 2026.19.2, more of dev13's misses (documents
"all four" held by a driver, answering for her, "no day free", a recruiter's fee, a debt secured on the family's land,
the rest of the pay taken "for room", told to say "tourist", walked to and from the workshop, a ticket bought by him):
dev13 0.822 / 0.962 (in-sample), blind7 one victim more (0.857 / 0.927), blind9 and dev7 one more with the indicators
alone (blind9 0.867 / 0.655), nothing lost. ("He is not my uncle" was measured and left out: a blind8 false alarm.)
A review then wrote sentences to defeat 2026.18-19 and found excuses that hid real victims (a passport "kept by his
son, the employer", escorts by security of women, "owes nothing for the flight, only the £2,000 for the room", a
step-dad who takes her phone every night, a checklist or Q and A whose answer was a sign) and new signs that flagged
ordinary records (a skipper's own passport, "no ID - mum has it", a friend's debt for a ticket, a room in halls, an
NHS trust's clawback). Library 2026.19.3 and the engine's negation narrow each, and each sentence is a test: blind6
one false alarm more (0.882 / 0.866: the self-possession excuse now needs an interview's words), dev13 0.801 / 0.962,
routine8 12 -> 13, routine3 28 -> 27, dev7 one victim more (0.952 / 0.882); no true positive lost on any set.
Library 2026.19.4 reads a sign in a sentence that names nobody ("IP says he took her phone") as the partner's when the
record names a partner anywhere, as it did when the record was framed as domestic abuse: false alarms fell on blind7,
blind8, dev10, dev11, dev12, dev13, partners2's domestic abuse records and routine10 (one each), blind9, dev5 and
routine11 (two each), and no set lost a victim (partners, partners2 and partners_review included).

routine12.jsonl (a second city force's three weeks of domestic abuse and family records, 262 of its ordinary records
showing coercive control in officers' words; written blind, then trained on) was counted with the session's starting
engine at 126 of 489 ordinary records flagged (257.7 per 1,000), 10 of 11 victims, and with library 2026.19.4 and
model 2026.7.0 at 77 (157.5). In 40 of those 77 every sign was the partner's and the partner reading read the record as
exploitation. Wording model 2026.7.1 refits the partner reading with routine12 too (the model's own coefficients
unchanged): routine12
77 -> 28 (in-sample); on the sets only counted, routine11 48 -> 38, routine3 27 -> 25, routine6 17 -> 16, routine1
5 -> 4 and dev12 17 -> 16; blind9 lost a victim to the hold-back (0.970 / 0.873: it is listed apart, not dropped).
Refitting with partners_review as well kept blind9's victim but lost one of partners2's.
Library 2026.19.5, from routine12's false alarms: "DP" (the domestic abuse perpetrator in police shorthand) names a
partner, so "IP disclosed DP locked her in" is the partner's sign; a passport hidden so a parent cannot take the
children abroad, a son who makes a threat and takeaways ordered to an address are not signs, and being made to work
somewhere "for nothing" is forced labour: routine12 28 -> 5 (in-sample); on the sets only counted, routine3 25 -> 24,
routine6 16 -> 15, partners2 one domestic abuse record fewer with the indicators alone; routine7, dev4 and dev12 one
false alarm fewer each; routine11 unchanged (38); no victim lost on any set.

Library 2026.20.0, from routine10's remaining false alarms: a record framed as domestic abuse whose signs flag nothing
alone (a caller's age, "IP daughter (14)") is read by the partner reading before the model promotes it, as a partner's
signs already were; forced marriage protection orders and the Forced Marriage Unit are mentions (a new indicator,
0.5), and an arranged marriage found to have full consent, no indicators of force or no plan to marry excuses forced
marriage in its sentence. routine10 21 -> 15 (in-sample), routine12 5 -> 3, routine4 5 -> 4; on the sets only counted,
routine11 38 -> 35, blind6 13 -> 12 (0.890 / 0.866), dev9 one false alarm fewer; no victim lost with the full engine
on any set. With the indicators alone blind7, blind8 and blind9 each lose one victim (a protection order no longer
flags by itself), which the wording model finds. Library 2026.20.1: a row with a parent over a phone taken, and a
check's outcome "not indicated" right after the check ("cuckooing checklist completed - not indicated"): routine10
15 -> 13 (in-sample), no other set changed.

Three more sets were written blind for this: dev14.jsonl (300, 130 potential victims: children and young people in the
voices of response officers, missing-person reports, children's homes, schools, clinics, transport police, Border Force
and banks), routine13.jsonl (a force's fortnight of records about children and young people, 11 potential victims,
226 of its ordinary records look-alikes; readable) and routine15.jsonl (a public protection unit's three weeks of
domestic abuse and family records, 11 potential victims; only counted). First counts: dev14 with library 2026.20.1
0.925 / 0.762 (indicators alone 0.773 / 0.446); routine13 20 of 489 ordinary records flagged (40.9 per 1,000) and
11 of 11 victims with both the session's starting engine and 2026.20.1; routine15 with the starting engine 52 of 489
(106.3 per 1,000), with 2026.20.1 43 (87.9), 11 of 11 victims with both. Library 2026.21.0 was developed on dev14's
misses, most of which had no indicator at all (phone credit topped up by an adult, a ticket bought on a card in
another name, "had to plug it", a young person's debt "on tick" or "on my head", threats for stopping or closing an
account, sold for sex, sex with a boyfriend's friends, no uncle of that name on the care plan, "on a line with"):
dev14 0.938 / 0.938 (in-sample); on sets not developed on, dev4 one victim more, partners2 49 of 60, partners_review
132 of 134, blind8 one more with the indicators alone; routine13 and routine15 unchanged; no false alarm more on any
set. Library 2026.21.1 from routine13's false alarms (a passport held by a social worker, found property, photocopies
for a right to work check, an employer's van that hit a car, a robbery by older boys, a runner on a TV production, a
cuckooing prevention visit, and in the engine a checklist question not marked "Q:" answered a bare no): routine13
20 -> 12 (in-sample); no other set changed. Library 2026.21.2: one's own wages or documents "kept by her", a branded
holdall, a phone checked with consent: routine13 12 -> 11, dev13, dev14 and routine9 one false alarm fewer each.

routine14.jsonl (a northern force's month of records of young people and families, 11 potential victims, about 200
look-alikes; written blind, only counted) was first counted after 2026.21.2: 15 of 489 ordinary records flagged
(30.7 per 1,000), 11 of 11 victims; the session's starting engine gave the same, so neither the signs from dev14 nor
the excuses from routine13 changed it.

A review then wrote 99 sentences to defeat 2026.20-2026.21.2 (test_review_sentences.py): new child signs that counted
in ordinary records ("had to plug it" into a socket, a washing line, "you owe us" council tax, a mum topping up a
phone), and excuses or negations that hid victims (a parent's "no plans to marry" beside the girl's disclosure, "found
property" beside a kept passport, a question answered "No - the man she calls uncle is looking after it", a child
with a much older "DP" held back as domestic abuse). Library 2026.21.3 narrows each; the unmarked checklist question
is withdrawn, and a domestic abuse record whose abused person is a child or missing, or who works where exploitation is
found, is promoted as before. 87 of the 99 are read as the review expected; the rest are context signs that flag
nothing alone, an impostor social worker, and protection orders, which stay mentions. Against 2026.21.2: dev14 0.946 /
0.938 -> 0.945 / 0.923 (a child's "I owe them for the weed" counts only with a child's words in its sentence, as an
earlier test of an adult's drug debt requires), routine13 11 -> 12, routine6 15 -> 14; no other set changed.

routine16.jsonl (a fourth force's month of domestic abuse and vulnerability records, 11 potential victims, half its
ordinary records sharing words with exploitation; written blind) was counted with the session's starting engine at 68
of 489 ordinary records flagged (139.1 per 1,000), 10 of 11 victims, and with library 2026.21.3 and model 2026.7.1 at
61 (124.7). The partner reading read this force's coercive control as exploitation ("took her phone, read her messages
and slapped her": 0.98). Wording model 2026.8.0 refits the partner reading with routine16 too (the model's own
coefficients unchanged), and library 2026.22.0 reads a forced-marriage concern, referral, outcome or case closure named
as a record's topic as a topic, not as forced marriage, and counts exploitation by in-laws told in a domestic abuse log
(made to work at the takeaway, wages that go to her mother-in-law, owing them for the wedding: a dev12 victim the
refitted reading no longer promoted). routine16 61 -> 30 (in-sample); on the sets only counted, routine15 43 -> 22
(87.9 -> 45.0 per 1,000), routine11 35 -> 22, routine3 24 -> 21, routine4 4 -> 2, routine5 2 -> 1, routine6 14 -> 12,
routine7 5 -> 4, blind7 16 -> 15 (0.872 / 0.927), partners2's domestic abuse records 6 -> 3 of 40 flagged; dev4 12 ->
10, dev9 17 -> 16 and dev12 15 -> 12 false alarms. The cost: partners2 49 -> 45 of its 60 victims flagged, 5 more
held back (listed apart, not dropped); no victim lost on any other set. Library 2026.22.1, from routine16: a relative
threatening to self-harm, a client's son or a son-in-law who threatens, passports surrendered under an order, house keys
taken: routine16 30 -> 26 (in-sample), routine3 21 -> 20; no other set changed. (A first version that excused any
passports "surrendered" hid a blind7 victim, counted only, and was narrowed.) Library 2026.22.2, from the misses of
partners and partners_review (exploitation by partners: begging takings handed over every night, dropped on a road every
night until she is done, cash in hand the husband collects, other women's passports, brought over to work in his
restaurant for nothing, photos posted unless she keeps going to the flats): partners 56 -> 59 of 60, partners_review
132 -> 134 of 134; partners2, counted only, unchanged at 45; no other set changed.

blind10.jsonl (260, 110 potential victims, every voice from response officers to port chaplains, written blind) is only
counted: with the session's starting engine (library 2026.19.5, model 2026.7.1) 0.889 / 0.873 (indicators alone 0.772
/ 0.555), with library 2026.22.2 and model 2026.8.0 the same, 0.889 / 0.873 (0.782 / 0.555). So this session's work, on
domestic abuse and on children's records, neither helped nor harmed text in every other voice.

dev15.jsonl (300, 130 potential victims, hard on purpose: most with one or two weak or indirect signs in every voice,
two thirds under 350 characters; written blind after blind10 was counted) was first measured with library 2026.22.2:
0.854 / 0.677 (indicators alone 0.696 / 0.300), as with the session's starting engine. Most misses had no indicator at
all. Library 2026.23.0 was developed on them by meaning ("I must give my money to", glancing at him before each
answer, paid "when boss comes", a door auntie locks when she goes out, "he needs to know where I am always", "the van
takes me and brings me", "he say I still owe", "can't come home till I shift the rest"): dev15 0.888 / 0.915
(in-sample); on sets not developed on, blind6 (0.891 / 0.875), blind8 (0.842 / 0.918) and dev10 one victim more each,
blind2 and routine9 one more with the indicators alone; no false alarm more with the full engine on any set (routine10
one more with the indicators alone). blind10, counted after, is unchanged.

blind11.jsonl (260, 114 potential victims, every voice and every kind of exploitation, slang and euphemism, written
blind) is only counted: with the session's starting engine (library 2026.23.0, model 2026.8.0) 0.928 / 0.904
(indicators alone 0.842 / 0.702). Library 2026.24.0 (documents held lawfully or by the person: removal escorts, a
property store, "Holds his passport." with no other subject, "2 hold SDN passports"; a debt collection agency; a daily
commute; a partner who has died holds nothing) leaves it the same and removes false alarms on dev13 (29 -> 21),
routine16 (26 -> 24), routine8, dev3, and, counted only, blind3, blind6 and blind8 (19 -> 16); no victim lost on any
set. A first version that also read housework a partner leaves to the person as coercive control removed four
in-sample false alarms but held back a child victim of domestic servitude on blind11, and was withdrawn.

dev16.jsonl (300, 130 potential victims: labour exploitation in today's economy, sponsored care workers, delivery
riders on rented accounts, car washes, driveway crews, packhouses, and the workplace records that look like it; written
blind) was first measured with library 2026.24.0: 0.958 / 0.877 (indicators alone 0.835 / 0.662), as with the
session's starting engine. routine18.jsonl (500, 11 potential victims: a rural force's day where work and workers come
up; only counted): 25 false alarms (51.1 per 1,000), 10 of 11 victims, with either engine. routine17.jsonl (500, 11: an
urban force's records where work, employers and immigration status come up, written blind) was first measured with
library 2026.24.0: 14 false alarms (28.6 per 1,000; 16 with the session's starting engine), 11 of 11 victims.

Library 2026.25.0 was developed on dev16's misses and routine17's false alarms, by meaning (wages moved on within hours
to one account, made to transfer half, pay collected and "what I need" given back, a cut of 50% or more, bank details
changed to others' accounts, no keys for occupants, pay until a fee is finished, a charge to leave before the contract
ends, a charge to give them the job; not: HCW visas, right-to-work documents on file, kept in overnight at hospital, an
owner or door supervisor assaulted by a customer): dev16 0.958 / 0.877 -> 0.969 / 0.969, routine17 14 -> 5 false alarms
(both in-sample); blind2 (counted only) one victim more, routine6 one false alarm less; no other set changed, and
routine18 and blind11, counted only, are unchanged (25 false alarms; 0.928 / 0.904).

blind12.jsonl (260, 112 potential victims: labour exploitation and its workplace look-alikes in every voice, written
blind after library 2026.25.0) is only counted: with the session's starting engine 0.933 / 0.875 (indicators alone
0.869 / 0.768), with library 2026.25.0 0.942 / 0.875 (0.878 / 0.768). So dev16's thirteen signs, found in-sample, found
no victim more on a second set of the same setting written blind: signs learned from one set's sentences still reach
little beyond them.

Library 2026.26.0 marks documents held ``ruled_out_alone``: as a record's only sign, the wording model may hold it back
when the record reads very unlike modern slavery (a concern checked and explained), as it may any weaker sign. With any
other sign it flags as before. Measured before it was kept, against 2026.25.0 with the review's fixes: 58 false alarms
fewer across the sets and no victim lost on any. Lowering the sign's weight below the threshold instead removed as many
false alarms but lost 3 blind victims and 7 partner victims. A review wrote 96 sentences to defeat 2026.24-2026.25 and
found excuses that hid documents held by a controller ("Holds her passport" after "Male in driver seat", "until the
hotel check-in", "escorts" in sex work) and new signs that fired on ordinary records (a car pound "until the fees are
paid", rent that "takes most of her wages", a safe-account scam): 86 are read as it expected and are tests
(test_review_labour_sentences.py). routine19.jsonl (500, 11 potential victims: a rural force's harvest season, seasonal
workers, team leaders and caravan sites; written blind) was first measured with the session's starting engine: 39 false
alarms (79.8 per 1,000) and 8 of 11 victims, the hardest ordinary set yet; 2026.26.0 was developed on it (working for
food, a call to the Home Office to cancel a visa, deductions leaving under £100 a week, men brought to a worker's pod;
not deductions within the offset, waiting for a first pay, an adult missing from home as a child): 32 and 10 of 11
(in-sample). routine18, the same setting counted only, 25 -> 24. Library 2026.26.1 (a police force and a weekday are not
forced marriage, a fund the workers pay into is not underpayment): routine19 32 -> 29; no other set changed. A second
review then wrote 55 potential victims whose only clear sign is a passport kept, closed in a busy officer's words ("the
manager keeps his passport. Says he is happy. No other concerns. NFA."), and 27 look-alikes: 2026.26.1 held back 10 of
the victims, as readily as the look-alikes, since the wording model reads a closed visit's tone. The engine of 2026.26.2
holds back a lone sign of documents held only when no sentence of it names someone who exploits (a boss, an owner, a
manager, an agent, an uncle: the library's domestic_context.others): none of those victims, 7 of the look-alikes
(test_review_documents_alone.py). Against the library without the mark: 41 false alarms fewer and no victim lost on any
set (blind2-12 15 fewer, routine9 14 -> 7, routine14 15 -> 11, routine15 22 -> 19); routine19 31 (the condition gives
back two of 2026.26.1's). Library 2026.26.3 catches documents held in wordings the same review found the sign missed
(all the passengers' ID cards in a bag, the passports of two young women, refusing to give back his passport): 51 of its
55 victims flagged (44 before); no set changed. A third review wrote 69 victims whose only sign is confinement, a threat
to the family or a debt, and 60 look-alikes, to test marking those signs ruled_out_alone too (31 false alarms fewer on
the sets, no victim lost there): it hid 7 of the 63 victims flagged, in a closed visit's words, so it was not built.
Library 2026.26.4 takes from that review the plurals of those who exploit ("the employers keep their passports" is never
held back; blind3, only counted, one false alarm more) and the wording the signs missed (a door always kept locked and
she has no key, a family abroad that "would be visited", money off his pay for the travel): 66 of its 69 victims flagged
(63 before); no other set changed.

blind13.jsonl (260, 112 potential victims, every voice, both labels' lengths and closing words balanced) and
routine20.jsonl (500, 11 potential victims hidden in a week of a force's ordinary records in every setting) were
written blind after library 2026.26.4 and are only counted: blind13 0.939 / 0.821 (indicators alone 0.753 / 0.571),
routine20 6 false alarms (12.3 per 1,000) and 11 of 11 victims (indicators alone 11 false alarms, 5 victims).

blind14.jsonl (260, 112 potential victims, every voice, both labels' lengths and closing words balanced) and
routine21.jsonl (500, 11 potential victims hidden in a week of a force's ordinary records) were written blind after
library 2026.26.5 and are only counted; dev17.jsonl (300, 130 potential victims, every voice, many victims showing only
indirect, everyday-worded signs) was written with them and read. Library 2026.26.5 on them before anything was changed:
blind14 0.929 / 0.929 (indicators alone 0.860 / 0.821; all 8 missed victims show no indicator at all), routine21 10
false alarms (20.4 per 1,000) and 11 of 11 victims (indicators alone 16 false alarms, 8 victims), dev17 0.871 / 0.931
(indicators alone 0.750 / 0.715). Library 2026.27.0 was developed on dev17's misses and false alarms (see the library's
description): dev17 0.920 / 0.969 (indicators alone 0.784 / 0.754), so it is a development set now; on the sets only
counted, blind14 is unchanged (indicators alone 0.861 / 0.830, one victim more) and so is routine21, and no other set's
outcome changed.
"""

import json
from pathlib import Path

import pytest

from navigator.screening.engine import Screener

DATA = Path(__file__).parent / "data"

# name: (minimum records, share of positives allowed, minimum precision, minimum recall) of the engine as it
# runs (indicators and wording model); the minimums are the measured level minus a small margin.
SETS = {
    "labelled": (260, (0.3, 0.7), 0.96, 0.98),
    "heldout": (150, (0.35, 0.55), 0.97, 0.97),
    "blind": (240, (0.35, 0.5), 0.95, 0.97),
    "dev3": (300, (0.35, 0.5), 0.92, 0.97),
    "dev4": (300, (0.35, 0.5), 0.83, 0.88),
    "dev5": (300, (0.35, 0.5), 0.81, 0.92),
    "dev6": (300, (0.35, 0.5), 0.94, 0.96),
    "dev7": (300, (0.35, 0.5), 0.91, 0.85),
    "dev8": (300, (0.35, 0.5), 0.87, 0.95),
    "dev9": (300, (0.35, 0.5), 0.83, 0.94),
    "dev10": (300, (0.35, 0.5), 0.84, 0.82),
    "dev11": (300, (0.35, 0.5), 0.84, 0.94),
    "dev12": (300, (0.35, 0.5), 0.85, 0.96),
    "blind2": (260, (0.35, 0.5), 0.86, 0.81),
    "blind3": (260, (0.35, 0.5), 0.89, 0.82),
    "blind4": (260, (0.35, 0.5), 0.86, 0.83),
    "blind5": (260, (0.35, 0.5), 0.83, 0.78),
    "blind6": (260, (0.35, 0.5), 0.82, 0.84),
    "blind7": (260, (0.35, 0.5), 0.81, 0.89),
    "blind8": (260, (0.35, 0.5), 0.78, 0.88),
    "dev13": (300, (0.35, 0.5), 0.78, 0.94),
    "blind9": (260, (0.35, 0.5), 0.93, 0.86),
    "dev14": (300, (0.35, 0.5), 0.91, 0.91),
    "blind10": (260, (0.35, 0.5), 0.86, 0.85),
    "dev15": (300, (0.35, 0.5), 0.86, 0.89),
    "blind11": (260, (0.35, 0.5), 0.89, 0.87),
    "dev16": (300, (0.35, 0.5), 0.93, 0.93),
    "blind12": (260, (0.35, 0.5), 0.91, 0.84),
    "blind13": (260, (0.35, 0.5), 0.91, 0.79),
    "dev17": (300, (0.35, 0.5), 0.90, 0.95),
    "blind14": (260, (0.35, 0.5), 0.90, 0.90),
}
# The indicator library alone on the sets nothing was trained on, so that a weaker library shows even when the
# wording model makes up for it.
INDICATORS_ONLY = {
    "blind2": (0.76, 0.50),
    "blind3": (0.83, 0.51),
    "blind4": (0.69, 0.49),
    "blind5": (0.70, 0.51),
    "blind6": (0.64, 0.59),
    "blind7": (0.70, 0.70),
    "blind8": (0.69, 0.64),
    "blind9": (0.84, 0.62),
    "blind10": (0.75, 0.53),
    "blind11": (0.80, 0.66),
    "blind12": (0.83, 0.73),
    "blind13": (0.72, 0.54),
    "blind14": (0.83, 0.80),
}
# Sets of ordinary records, as a force holds them, with a few potential victims buried among them: the false alarms
# per 1,000 ordinary records a navigator would read, at most, and the share of the potential victims found, at least.
ROUTINE = {
    "routine1": (500, 14.0, 0.9),
    "routine2": (500, 27.0, 0.9),
    "routine3": (500, 45.0, 0.9),
    "routine4": (500, 9.0, 0.9),
    "routine5": (500, 6.0, 0.9),
    "routine6": (500, 29.0, 0.9),
    "routine7": (500, 13.0, 0.9),
    "routine8": (500, 29.0, 0.9),
    "routine9": (500, 32.0, 0.7),
    "routine10": (500, 30.0, 0.9),
    "routine11": (500, 50.0, 0.9),
    "routine12": (500, 14.0, 0.9),
    "routine13": (500, 28.0, 0.9),
    "routine14": (500, 34.0, 0.9),
    "routine15": (500, 50.0, 0.9),
    "routine16": (500, 58.0, 0.9),
    "routine17": (500, 14.0, 0.9),
    "routine18": (500, 56.0, 0.9),
    "routine19": (500, 70.0, 0.9),
    "routine20": (500, 17.0, 0.9),
    "routine21": (500, 23.0, 0.9),
}


def _records(name):
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.mark.parametrize("name", SETS)
def test_set_is_well_formed(name):
    minimum, (low, high), _, _ = SETS[name]
    recs = _records(name)
    assert len(recs) >= minimum
    assert len({r["ref"] for r in recs}) == len(recs)
    for r in recs:
        assert set(r) == {"ref", "text", "label", "note"}
        assert isinstance(r["label"], bool) and r["text"].strip()
    positives = sum(r["label"] for r in recs)
    assert low < positives / len(recs) < high


def _measure(screener: Screener, name: str, capsys, label: str) -> tuple[float, float]:
    recs = _records(name)
    results = list(screener.screen_many((r["ref"], r["text"]) for r in recs))
    tp = sum(1 for r, res in zip(recs, results) if r["label"] and res.flagged)
    fp = sum(1 for r, res in zip(recs, results) if not r["label"] and res.flagged)
    fn = sum(1 for r, res in zip(recs, results) if r["label"] and not res.flagged)
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    with capsys.disabled():
        print(f"\n{name} set ({label}): n={len(recs)} tp={tp} fp={fp} fn={fn} precision={precision:.3f} "
              f"recall={recall:.3f}")
    return precision, recall


@pytest.mark.parametrize("name", SETS)
def test_precision_and_recall(screener: Screener, capsys, name):
    _, _, min_precision, min_recall = SETS[name]
    precision, recall = _measure(screener, name, capsys, "engine")
    assert precision >= min_precision
    assert recall >= min_recall


@pytest.mark.parametrize("name", INDICATORS_ONLY)
def test_indicator_library_alone(capsys, name):
    min_precision, min_recall = INDICATORS_ONLY[name]
    precision, recall = _measure(Screener(wording=False), name, capsys, "indicators only")
    assert precision >= min_precision
    assert recall >= min_recall


@pytest.mark.parametrize("name", ROUTINE)
def test_false_alarms_on_ordinary_records(screener: Screener, capsys, name):
    minimum, max_per_thousand, min_recall = ROUTINE[name]
    recs = _records(name)
    assert len(recs) >= minimum and len({r["ref"] for r in recs}) == len(recs)
    results = list(screener.screen_many((r["ref"], r["text"]) for r in recs))
    ordinary = [res for r, res in zip(recs, results) if not r["label"]]
    found = [res for r, res in zip(recs, results) if r["label"]]
    assert 0 < len(found) < 0.05 * len(recs), "a few potential victims among ordinary records"
    per_thousand = 1000 * sum(res.flagged for res in ordinary) / len(ordinary)
    recall = sum(res.flagged for res in found) / len(found)
    with capsys.disabled():
        print(f"\n{name}: {len(ordinary)} ordinary records, {sum(res.flagged for res in ordinary)} flagged "
              f"({per_thousand:.1f} per 1,000); {sum(res.flagged for res in found)} of {len(found)} potential victims")
    assert per_thousand <= max_per_thousand
    assert recall >= min_recall


# Sets of potential victims only, exploited by partners and recorded as domestic abuse: records, and how many the
# engine must find. partners: written blind, then developed on; partners_review: written by a review to defeat the
# partner reading.
PARTNERS = {"partners": (60, 57), "partners_review": (134, 131)}


@pytest.mark.parametrize("name", PARTNERS)
def test_exploitation_by_partners_recorded_as_domestic_abuse_is_found(screener: Screener, capsys, name):
    size, minimum = PARTNERS[name]
    recs = _records(name)
    assert len(recs) == size and all(r["label"] for r in recs)
    found = sum(result.flagged for result in screener.screen_many((r["ref"], r["text"]) for r in recs))
    with capsys.disabled():
        print(f"\n{name}: {found} of {len(recs)} potential victims exploited by partners found")
    assert found >= minimum


def test_exploitation_by_partners_is_told_from_domestic_abuse(screener: Screener, capsys):
    """partners2: 60 potential victims exploited by partners and 40 records of domestic abuse without exploitation,
    all written as domestic abuse logs, blind; only counted."""
    recs = _records("partners2")
    results = list(screener.screen_many((r["ref"], r["text"]) for r in recs))
    held_back = {indicator.id for indicator in screener.held_back_indicators}
    found = sum(res.flagged for r, res in zip(recs, results) if r["label"])
    listed = sum(any(h.indicator in held_back for h in res.hits) for r, res in zip(recs, results)
                 if r["label"] and not res.flagged)
    false_alarms = sum(res.flagged for r, res in zip(recs, results) if not r["label"])
    with capsys.disabled():
        print(f"\npartners2: {found} of 60 potential victims flagged, {listed} more held back; {false_alarms} of 40 "
              "records of domestic abuse flagged")
    assert sum(r["label"] for r in recs) == 60 and len(recs) == 100
    assert found >= 44 and false_alarms <= 9


def test_every_indicator_is_hit_by_a_labelled_record(screener: Screener):
    hit = set()
    for res in screener.screen_many((r["ref"], r["text"]) for r in _records("labelled")):
        hit.update(h.indicator for h in res.hits)
    missing = [i.id for i in screener.library.indicators if i.id not in hit]
    assert not missing, missing


def test_labelled_set_exercises_negation(screener: Screener):
    negated = 0
    for res in screener.screen_many((r["ref"], r["text"]) for r in _records("labelled")):
        negated += sum(h.negated for h in res.hits)
    assert negated >= 10
