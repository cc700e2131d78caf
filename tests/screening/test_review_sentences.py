"""Sentences a review wrote to defeat library 2026.20-2026.21.2 (the forced-marriage mention, the signs of children
and young people, the excuses from routine13): ordinary records that a new sign counted, and potential victims that a
new excuse or negation hid. Library 2026.21.3 and the engine read each as the review expected; the few it does not
are context signs that flag nothing alone, an impostor claiming to be a social worker, and protection orders, which
stay mentions the wording model reads."""

import pytest

from navigator.screening.engine import Screener

# (text, indicator, counted): whether the indicator counts, un-negated, with the indicators alone.
SIGNS = [
    ("Kettle at the flat stopped working so he had to plug it into the hallway socket, which is how the "
     "fire started.",
     "criminal_exploitation", False),
    ("The plumber had to plug it with a bung until the part arrives; tenant says landlord is refusing to "
     "pay.",
     "criminal_exploitation", False),
    ("Engineer has to plug them into the mains at the substation every morning, which is when the cable "
     "theft was noticed.",
     "criminal_exploitation", False),
    ("Caller hung her washing on a line in the shared garden and the neighbour cut it down, third time "
     "this month.",
     "county_lines", False),
    ("IP states he was on a line with his bank's fraud team for 40 mins when the suspect called again.",
     "county_lines", False),
    ("Angler hooked the swan on a line in the canal and left it; RSPCA informed.", "county_lines", False),
    ("Letter from the council reads 'you owe us £312.40 in council tax arrears' - IP believes it is a "
     "scam.",
     "debt_drug", False),
    ("Landlord texted 'you owe us two months rent' and changed the locks - illegal eviction advice given.",
     "debt_drug", False),
    ("He bought the sofa on tick to Brighthouse and has fallen behind on the payments; bailiffs attended.",
     "debt_drug", False),
    ("Adult male (34) says he owes them for the weed he bought last month and they have been messaging "
     "him, he is not scared and will pay on Friday.",
     "debt_drug", False),
    ("Suspect said he is picking up extra shifts at Tesco until it's paid off - the damage to the car was "
     "£900.",
     "debt_drug", False),
    ("Garage says the car is staying on the forecourt until it's paid for in full; owner disputes the "
     "bill.",
     "debt_drug", False),
    ("Resident lost the parcel and says the neighbour owes her for it.", "debt_drug", False),
    ("Director of the building firm stated it's £40k on his head if the contract falls through.", "debt_drug", False),
    ("She owes him for the ubers from the night out, that's what the argument outside the club was about.",
     "debt_drug", False),
    ("Third different car this month that has been keyed on Elm Road - residents want more patrols.",
     "child_exploitation_signs", False),
    ("Neighbour reports the 2nd different vehicle this week parked on the drive at no 14 - he is a "
     "mechanic working from home.",
     "child_exploitation_signs", False),
    ("Probate dispute between siblings: there are no cousins named in the will, so the cousin's claim is "
     "civil.",
     "child_exploitation_signs", False),
    ("Sudden death, male 81. NOK daughter informed. No cousin known locally.", "child_exploitation_signs", False),
    ("Care home refused to let the visitor in as there is no cousin named Pat on her care plan; visitor "
     "became abusive to staff.",
     "child_exploitation_signs", False),
    ("Dispute over the café lease. The business partners were her boyfriend's friends from college and "
     "they want her out.",
     "child_exploitation_signs", False),
    ("Adult female stated she slept with her boyfriend's mate at the party and her boyfriend punched her "
     "when he found out.",
     "child_exploitation_signs", False),
    ("Step-family dispute: suspect's dad married her mum in 2019 and there has been friction since.",
     "forced_marriage", False),
    ("My dad married her after mum died and she has changed the locks on the house, I want my stuff back.",
     "forced_marriage", False),
    ("Wedding photos dispute: they married me and Dave at St Mary's in 2010 and the church now can't find "
     "the register.",
     "forced_marriage", False),
    ("Handbag stolen from the back of a chair in Costa; it has her phone and her bank card in it.",
     "financial_control", False),
    ("The wallet, which holds his ID and cash, was dropped outside Greggs and has not been handed in.",
     "financial_control", False),
    ("Letting agent only attends when they need the flat for viewings, tenant unhappy with short notice.",
     "cuckooing", False),
    ("Her sons come round when they want her house for the football and she says it gets rowdy; noise "
     "complaint from next door.",
     "cuckooing", False),
    ("Mum said to the driver, say you're 11 and you get the child fare.", "scripted_account", False),
    ("Her mate said just say you're 18 and the bouncer will let you in - refused entry, ID seized as fake.",
     "scripted_account", False),
    ("Shop assistant states the money was for the boss to bank on Monday; till was short £60 after the "
     "break-in.",
     "controller_reference", False),
    ("Neighbour dispute: male threatened to send the photos to her work showing her car parked across his "
     "drive.",
     "threats_family", False),
    ("Photographer said he would send the images to her college for the prospectus; mum unhappy and called "
     "police.",
     "threats_family", False),
    ("She closed her Sky account and they said they'd come round to collect the box, caller wants advice "
     "re bogus callers.",
     "threat_if_refusing", False),
    ("I tried to stop the direct debit and they said they'd come round to take the car back.",
     "threat_if_refusing", False),
    ("If he misses probation again he will get done for breach.", "threat_if_refusing", False),
    ("Caller's son, 22, says he's gonna get done if he's late for work again and is panicking about the "
     "bus strike.",
     "threat_if_refusing", False),
    ("Club secretary says he will post the photos on Facebook if she doesn't come to collect the trophy - "
     "caller feels embarrassed, no offences.",
     "threat_if_refusing", False),
    ("Estranged husband will post the pictures on Instagram if she doesn't meet him at the solicitor's - "
     "harassment, DA marker.",
     "threat_if_refusing", False),
    ("Lodger, 26, says she is paying her way by doing stuff around the house and helping with the kids; "
     "landlord dispute over the deposit.",
     "sexual_exploitation_control", False),
    ("Training delivered to hotel night staff on spotting children sold for sex and what to do.",
     "sexual_exploitation_control", False),
    ("Grandad gave him a fiver for doing jobs in the garden and the money went missing.", "grooming_gifts", False),
    ("Dad buys him a Greggs for doing jobs at the allotment on a Saturday.", "grooming_gifts", False),
    ("Toddler swallowed something so mum called 999; ambulance attended, child fine.", "county_lines_context", False),
    ("Network Rail staff were on site to protect the line during the works when the youths threw stones.",
     "county_lines_context", False),
    ("The man she works for holds her passport and told officers it is held by the local authority, which "
     "children's services deny.",
     "documents_retained", True),
    ("She came to the front desk to hand in found property and disclosed that her boss has kept her "
     "passport since she arrived and pays her £20 a week.",
     "documents_retained", True),
    ("The man who brought her keeps her passport and made her report it at the front desk as lost property "
     "so she could not prove who she was.",
     "documents_retained", True),
    ("The boss took her passport to make photocopies for the right to work check and has kept it for four "
     "months.",
     "documents_retained", True),
    ("That the boss holds his passport was not indicated in the original referral; it came out in the ABE.",
     "documents_retained", True),
    ("Victim pointed at the older woman in the kitchen and said her passport is kept by her.",
     "documents_retained", True),
    ("Worker states he was pulled out of the van, hit by the gaffer and told to get back to work.",
     "violence_by_controller", True),
    ("Workers taken to the farm daily in a minibus - hit by the supervisor if too slow picking.",
     "violence_by_controller", True),
    ("Dragged from the car, hit by her pimp and left at the services on the M6.", "violence_by_controller", True),
    ("Hit by the gaffer - assessed not made out for ABH as no visible injury, common assault recorded.",
     "violence_by_controller", True),
    ("MFH 15 year old boy located in Margate; he says he was taken there by older boys and was holding 20 "
     "wraps of crack when found.",
     "criminal_exploitation", True),
    ("The 15 year old was robbed by older boys of the drugs he was holding and now they say he owes them "
     "£800 and has to work it off.",
     "criminal_exploitation", True),
    ("Boy, 13, says older boys took him to Southend and made him stay in a flat with heroin users for a "
     "week.",
     "criminal_exploitation", True),
    ("He's a runner for the set on the Broadwater estate, dropping bags to users after school.", "county_lines", True),
    ("Youth, 14, says he is a runner in the kitchen at flat 12 where the crack is cooked.", "county_lines", True),
    ("Cuckooing visit to flat 4 - occupant, vulnerable male, says he is scared and cannot make the lads go "
     "home.",
     "cuckooing", True),
    ("Parents state there are no plans for her to marry, but she told her teacher she is being forced to "
     "marry her cousin in Pakistan this summer.",
     "forced_marriage", True),
    ("Older sister has no plans to marry, whereas the victim (16) says she is being forced into marriage "
     "with a man in Bangladesh.",
     "forced_marriage", True),
    ("Imam reports no evidence of coercion at the nikah, but the girl later told her teacher she was "
     "forced into marriage.",
     "forced_marriage", True),
    ("Family insist it was arranged with her full consent, yet she says she was forced to marry him at 16 "
     "and is not allowed out of the house.",
     "forced_marriage", True),
    ("Father says it was arranged, not forced, but she says she was made to marry him at 15 and cannot "
     "leave.",
     "forced_marriage", True),
    ("She works for a man called Dritan who keeps her wages and her passport.", "wages_withheld", True),
    ("Victim states the madam, she keeps her earnings and gives her £20 a week for food.", "wages_withheld", True),
    ("No one has paid for his work since he arrived in March; he sleeps in the shed behind the car wash.",
     "wages_withheld", True),
    ("Her phone was checked by her dad every night and she fears being taken to Pakistan to be married.",
     "movement_monitored", True),
    ("Phones were checked by staff at the end of each shift and any girl who had messaged home was fined.",
     "movement_monitored", True),
    ("Her phone was checked by her boyfriend's dad, who also takes her to men's houses.", "movement_monitored", True),
    ("Has the boss kept his passport? No - he is keeping it in the office safe for him.", "documents_retained", True),
    ("Has anyone taken her passport? No - the man she calls uncle is looking after it for her.",
     "documents_retained", True),
    ("Has the man taken his passport? No - he says he is holding it until the debt for the lorry is paid.",
     "documents_retained", True),
    ("Anyone threatened his family? No - but he says the boss told him his little brother back home would "
     "pay if he ran.",
     "threats_family", True),
    ("3) Any threats to family? No - 'they know where my mum lives, that's all'.", "threats_family", True),
    ("Is he kept locked in? No. Only at night when the boss goes out.", "movement_confinement", True),
    ("Is she kept locked in the flat? No. Only when the men are coming.", "movement_confinement", True),
    ("Was she made to have sex with the men? No... 'only to pay back the rent'.", "sexual_exploitation_control", True),
    ("Did anyone make him sell drugs? No - 'I just do it to pay off what I owe the olders'.",
     "criminal_exploitation", True),
]

# Records framed as domestic abuse whose abused person is a child or missing, or who works where exploitation is
# found: the wording model promotes them as before; the partner reading does not hold them back.
NOT_HELD_BACK = [
    "DA. IP states DP brought her to the UK from Albania three weeks ago. IP speaks no English and has no "
    "recourse to public funds. IP works at a nail bar in town.",
    "IP states DP took her to Birmingham last night. IP is 16 and has been MFH from her care placement "
    "for 3 days. IP now back at placement.",
    "Domestic. IP (15) states DP (23) took her back to his address after she went MFH from school. IP now "
    "back home, mum informed.",
    "IP states DP is 24. IP is 15 and was MFH overnight, located at DP's address with two other males. "
    "DASH completed.",
    "DA. IP is a 16 year old who went MFH and was found at the address of DP (age 22). IP states DP took "
    "her to parties where she met his friends and they gave her drugs and alcohol.",
]


@pytest.mark.parametrize("text, indicator, counted", SIGNS)
def test_the_reviews_sentences_are_read_as_it_expected(text, indicator, counted):
    hits = Screener(wording=False).screen(text).hits
    assert any(hit.indicator == indicator and not hit.negated for hit in hits) is counted, hits


@pytest.mark.parametrize("text", NOT_HELD_BACK)
def test_a_child_or_a_workplace_is_not_held_back_as_domestic_abuse(screener, text):
    result = screener.screen(text)
    assert result.flagged and "partner_signs_read_as_domestic_abuse" not in result.indicators, result.hits
