"""Records a review wrote against library 2026.26.0's hold-back of a lone sign of documents held: potential victims
whose only clear sign is a passport kept by someone, written as a busy officer closes a visit ("says he is happy. No
other concerns. NFA."), and documents held for a reason the record gives. 2026.26.0 held back ten of these victims as
readily as the look-alikes: the wording model reads the tone of a closed visit, not the explanation. Since 2026.26.2
documents held by someone the library names among those who exploit (a boss, an owner, a manager, an agent, an
uncle ...) are never held back; documents held with nobody such named may be."""

import pytest

# Potential victims the hold-back of 2026.26.0 hid.
VICTIMS = [
    "Attended Sparkle Hand Car Wash, Station Rd, following anonymous call. 5 males working. Spoke with one "
    "male (Albanian, 20s) via Language Line. States the boss keeps his passport for him 'for safety'. Paid "
    "weekly cash. Appeared well, no visible injuries, says he is happy working there. No other concerns. "
    "Advice given re rights and leaflet handed over. NFA.",
    "Farm welfare check, Manor Farm. Seasonal workers from Kyrgyzstan. Farm manager holds their passports in "
    "the office safe. Workers said they can ask for them. Accommodation checked and clean. Payslips seen. "
    "Workers happy. Advice given to farm re holding documents. No further action.",
    "Housing officer note: tenant (Eritrean male, 24) says his landlord keeps his BRP as a deposit. Tenant "
    "works at a car wash owned by the landlord's brother. He says he is happy there. Advice given, tenant to "
    "contact Shelter. Case closed.",
    "Call from University welfare team. International student (Indian male, 22) working in a restaurant 30+ "
    "hours a week. Restaurant owner has his passport. Student says he needs the job. Referred to university "
    "adviser. No police action.",
    "Welfare visit to Greenacre Farm with GLAA partner. 12 seasonal workers (Nepalese) on the Seasonal Worker "
    "visa. The farm manager holds their passports in the office. Workers say they are paid weekly into their "
    "own bank accounts, payslips seen. Caravans clean and heated. Workers happy. No other concerns. Advice "
    "given re documents. NFA.",
    "Visit to Lucky Nails, Victoria Rd. Owner (male) says he holds passports for two new staff while their "
    "paperwork is sorted. Staff (Vietnamese females, 18 and 20) confirmed they are paid, live with family and "
    "have their own phones. No further concerns. Owner advised to return documents.",
    "Police attended Shell garage re drive-off. Cashier (Sri Lankan male, 26) said the owner keeps his "
    "passport. Works 6 days. Confirmed paid into own account. Says he is happy. Drive-off crime recorded. No "
    "other concerns.",
    "Visit to Star Hotel kitchen following anonymous call. Kitchen porter (Eritrean male, 22) spoken to with "
    "interpreter. The manager keeps his passport. Paid weekly. Says he is happy. No other concerns. Advice "
    "given. NFA.",
    "Welfare check, 22 Elm Grove, at request of GP. Female (Filipino, 40s) works as live-in domestic for the "
    "family, has own room and own phone. Employer keeps her passport in his study. She says she is treated "
    "well. No concerns. Advice given.",
    "Return home interview completed with YP (15, Vietnamese). Missing 1 night, says he was at a friend's. "
    "Uncle has his passport. No disclosures of harm. Placement happy to have him back. No concerns. Advice "
    "given. NFA.",
]

# Documents held for a reason the record gives: held back, listed apart, not flagged.
LOOK_ALIKES = [
    "Safeguarding check: German exchange student (16) staying with host family for 3 weeks. Host mum holds "
    "her passport in a locked drawer at her parents' request, per exchange agreement. Student spoken to "
    "alone, happy, phones home daily, attends school. No concerns.",
    "Ward note: pt admitted under s2 MHA. Pt's passport and wallet taken into ward property on admission as "
    "per Trust policy, property sheet signed by pt. Returned to pt on discharge. No concerns.",
    "Call from Mrs S: her OISC-registered immigration adviser has held her passport for 4 months for a leave "
    "to remain application. Adviser contacted, confirmed application submitted to UKVI, passport sent with "
    "it, proof of postage seen. Caller reassured. NFA.",
    "Visit re concern for Mr J (45, learning disability, supported living). Support staff keep his passport "
    "and bank card in a locked cabinet per his care plan; he has a deputy via the Court of Protection. He was "
    "happy and attends day centre. Concern from neighbour unfounded. Closed.",
    "Call from university. International student's passport held by the university international office for 2 "
    "days while they collect his BRP from the Post Office, as offered to all new students. Student content. "
    "No crime. Advice given to caller.",
    "Registry office note. Couple gave notice of marriage. The groom's mother holds both their passports as "
    "they were handed to her for safe-keeping at the registry office appointment. Both spoken to separately, "
    "both want the marriage, both employed. No concerns.",
    "Marina patrol. Yacht skipper holds passports of 4 friends sailing with him to France, for clearance at "
    "the port. All are friends from his sailing club, spoken to, all confirmed and hold return tickets. Docs "
    "checked. No concerns.",
]


@pytest.mark.parametrize("text", VICTIMS)
def test_documents_held_by_someone_who_exploits_are_never_held_back(screener, text):
    result = screener.screen(text)
    assert result.flagged, result.hits


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_documents_held_with_nobody_who_exploits_named_may_be_held_back(screener, text):
    result = screener.screen(text)
    assert not result.flagged
    assert any(hit.indicator == screener.wording.held_back.id for hit in result.hits), result.hits
