"""Sentences a review wrote to defeat libraries 2026.24 and 2026.25 (documents held lawfully or by the person, labour
exploitation in today's economy and its workplace look-alikes): ordinary records that a new sign counted, and potential
victims that a new excuse hid. Library 2026.26.0 reads each of these 86 as the review expected. Of the 96 it wrote, the
others are misses the library never caught ("the males were keeping the girl in a flat", "what this town is called"), a
trivial accommodation offset breach since repaid, and a widow's new partner, which is a test of its own below."""

import pytest

from navigator.screening.engine import Screener

# (text, indicator, counted): whether the indicator counts, un-negated, with the indicators alone.
SIGNS = [
    ("He now works for the debt collectors to pay off what his brother owes them.", "debt_bondage", True),
    ("Vehicle removed to the pound and will remain there until the fees are paid.", "debt_bondage", False),
    ("The university will not release his degree certificate until his fees are paid.", "debt_bondage", False),
    ("He had a debt collection agency letter about his unpaid phone contract and owes £600.", "debt_bondage", False),
    ("The agency told her that if she leaves within three years she must pay back the cost of training, "
     "£12,000, and they keep her passport.",
     "debt_claimed", True),
    ("They told him if he quits he must pay them £3,000 for the flight and the visa.", "debt_claimed", True),
    ("If she leaves early she has to pay £5,000 to the man who arranged her visa.", "debt_claimed", True),
    ("If he leaves before the end of the tenancy he has to pay the rent until the room is relet.",
     "debt_claimed", False),
    ("The trust says if she leaves within a year she has to pay back her relocation costs.", "debt_claimed", False),
    ("Search of the car found an envelope of BRPs and bank cards in other names in the glovebox.",
     "documents_retained", True),
    ("Male in driver seat, Romanian national. Holds her passport and bank card and would not hand them to "
     "her.",
     "documents_retained", True),
    ("Driver spoken to. Holds their passports, says it is for safekeeping.", "documents_retained", True),
    ("He keeps her passport until the hotel check-in, then takes it back off her.", "documents_retained", True),
    ("Employer says the original passports are kept on file at head office; workers say they have asked "
     "for them back and been refused.",
     "documents_retained", True),
    ("After passport control they took their passports back and kept them.", "documents_retained", True),
    ("Passports are kept in the hostel property room by the manager and are not given back when the men "
     "ask.",
     "documents_retained", True),
    ("The escort holds all the girls' passports and drives them to bookings.", "documents_retained", True),
    ("A box of ID cards for the new starters was left at reception by HR.", "documents_retained", False),
    ("Bundle of expired passports belonging to her late parents found in the loft during the search.",
     "documents_retained", False),
    ("Travel agent had a stack of passports in the shop awaiting visa applications for a family wedding in "
     "Lahore.",
     "documents_retained", False),
    ("Removal escorts hold his passport until he is handed to the airline.", "documents_retained", False),
    ("She cleans for three households in the village, cash in hand.", "domestic_servitude", False),
    ("Since the separation the children split their time between both households and help with chores in "
     "each.",
     "domestic_servitude", False),
    ("They are picked up at 5am every day including Sundays and brought back after dark.", "excessive_hours", True),
    ("The van takes them every day to go to work at the packing plant and brings them back at midnight.",
     "excessive_hours", True),
    ("He has to go to work every day, he has not had one day off in five months.", "excessive_hours", True),
    ("He works 2 jobs every day for the boss, in the kitchen and then cleaning the flats until 2am.",
     "excessive_hours", True),
    ("Methadone collected daily, including weekends, from the pharmacy on the high street.", "excessive_hours", False),
    ("Carer picks her up every day including weekends to take her to the day centre.", "excessive_hours", False),
    ("Son, 13, does a paper round and works every morning including Sundays before school.", "excessive_hours", False),
    ("HGV driver stopped at the layby and asked officers which town is this, his satnav had failed.",
     "isolation_disorientation", False),
    ("Coach passenger woke up at the services and asked the driver what city is this.",
     "isolation_disorientation", False),
    ("She said she was kept in overnight in the back room by the two men.", "movement_confinement", True),
    ("They are not allowed to leave until their shift ends, the door is locked and the boss has the key.",
     "movement_confinement", True),
    ("Workers said they cannot leave until the shift finishes, and the shift finishes when the gaffer "
     "says, sometimes 3am.",
     "movement_confinement", True),
    ("Mum is keeping him in the house this week as he has chickenpox.", "movement_confinement", False),
    ("Paramedics advised keeping him in the back room until the ambulance arrived.", "movement_confinement", False),
    ("Dog warden attended: owner has been keeping them in a shed at the bottom of the garden.",
     "movement_confinement", False),
    ("Parents are keeping her in the house at weekends since the CSE concerns, to keep her away from the "
     "older males.",
     "movement_confinement", False),
    ("She was kept in for observation after the assault.", "movement_confinement", False),
    ("Neighbour has never once seen any of the women on their own, a man walks them to the van.",
     "movement_monitored", True),
    ("Nursery staff have never seen him on his own, mum always brings and collects him.", "movement_monitored", False),
    ("Neighbours have never seen the girls alone, they always walk to school together with their brother.",
     "movement_monitored", False),
    ("Carers have never seen her on her own since the fall, as family stay with her round the clock.",
     "movement_monitored", False),
    ("He paid 3 lakh rupees to get the job at the care home in Kent.", "recruitment_fees", True),
    ("She paid £9,000 for a care job, the sponsor then gave her no hours.", "recruitment_fees", True),
    ("She paid a consultant £12,000 for guaranteed work as a senior carer.", "recruitment_fees", True),
    ("The victim paid £4,000 for the work on his roof, which was never completed.", "recruitment_fees", False),
    ("He paid £60 for work boots and a hi-vis before his first shift.", "recruitment_fees", False),
    ("She paid £1,200 for a placement year abroad through the university.", "recruitment_fees", False),
    ("He came to the UK on an HCW visa as a carer.", "sector_car_wash", False),
    ("Referral made by the HCW at the GP surgery after the patient disclosed bruising.", "sector_car_wash", False),
    ("The occupants have no keys and the man who collects the rent locks the front door when he leaves.",
     "third_party_control", True),
    ("Daughter rings for her as her English is poor.", "third_party_control", False),
    ("Landlord attended but has no keys to the tenants' rooms, so the door was forced.", "third_party_control", False),
    ("Bail conditions: no direct contact with the victim, all contact through her solicitor.",
     "third_party_control", False),
    ("Landlord asked us not to contact the tenants directly and to go through the letting agent.",
     "third_party_control", False),
    ("All contact via her mother while she is in hospital.", "third_party_control", False),
    ("She said the manager told her he would send her name to the Home Office if she complained about the "
     "hours.",
     "threats_denunciation", True),
    ("Immigration Enforcement detained the male so that he will be deported on the next available flight.",
     "threats_denunciation", False),
    ("Officers will send a referral to the Home Office regarding his immigration status.",
     "threats_denunciation", False),
    ("The college said it will send her attendance record to the Home Office as required under her student "
     "visa.",
     "threats_denunciation", False),
    ("Her 'boyfriend', a door supervisor at the club, punched her when she refused to see the man he had "
     "brought.",
     "violence_by_controller", True),
    ("Shop owner was assaulted by two youths who stole cigarettes.", "violence_by_controller", False),
    ("Door supervisor punched by a customer outside the club.", "violence_by_controller", False),
    ("Each worker gives him £60 cash every payday for rent at the house, leaving them about £40.",
     "wages_diverted", True),
    ("He takes 60% of their share of each booking and they keep the rest.", "wages_diverted", True),
    ("The owner takes 70% of the turnover and the six men split what is left between them.", "wages_diverted", True),
    ("Her wages go into Dad's account as she has no bank account, and he gives her nothing.", "wages_diverted", True),
    ("Her wages go straight into her uncle's account and he gives her nothing.", "wages_diverted", True),
    ("He said the gangmaster has them give him 50% of their wages.", "wages_diverted", True),
    ("Victim of a safe account scam; most of the balance was transferred to another account by the "
     "fraudster.",
     "wages_diverted", False),
    ("Fraudster emailed HR posing as the employee and changed her bank details so her salary went to an "
     "account in another name.",
     "wages_diverted", False),
    ("Rent takes most of her wages and she is struggling to feed the kids.", "wages_diverted", False),
    ("Under the divorce settlement he has to give her half of the house sale.", "wages_diverted", False),
    ("Mum makes him give her a third of his wages for his keep.", "wages_diverted", False),
    ("She gives them £80 from her wages each week towards her keep.", "wages_diverted", False),
    ("As his appointee his sister receives his pay and gives him £40 a week spending money.", "wages_diverted", False),
    ("The barber rents a chair and the shop owner takes 50% of what he takes.", "wages_diverted", False),
    ("His ex-wife takes 50% of his pension under the divorce order.", "wages_diverted", False),
    ("His wages are paid into Tom's account as they share the bills.", "wages_diverted", False),
    ("We have not been paid since the owner stopped the payments in June.", "wages_withheld", True),
    ("He told officers he has not been paid for ten weeks since the boss stopped payments.", "wages_withheld", True),
    ("The boss keep the wages for rent and food, he says.", "wages_withheld", True),
    ("As his appointee, the support worker gives him just enough money for food each day and pays his "
     "bills.",
     "wages_withheld", False),
    ("Mum gives her only a little money for food as she spends it all on vapes.", "wages_withheld", False),
]


@pytest.mark.parametrize("text, indicator, counted", SIGNS)
def test_the_reviews_sentences_are_read_as_it_expected(text, indicator, counted):
    hits = Screener(wording=False).screen(text).hits
    assert any(hit.indicator == indicator and not hit.negated for hit in hits) is counted


def test_a_widows_new_partner_is_a_partner(screener):
    """A partner who has died holds nothing; the one she has now does."""
    text = ("DA incident. Widowed in 2019, her new partner now keeps her passport and bank card and will not let "
            "her see her friends.")
    result = screener.screen(text)
    assert not result.flagged
    assert any(hit.indicator == screener.library.domestic.held_back.id for hit in result.hits)
