"""Build the BAS questionnaire workbook (XLSForm layout) with openpyxl.

Run ``python questionnaires/forms_data/build_bas_workbook.py`` to regenerate
``bas_questionnaire.xlsx`` next to this file. The workbook is the source analysts edit;
this script keeps the shipped version reviewable and reproducible.

Coding conventions used by the analysis:
- 5-point scales are coded 1 (most positive) .. 5 (most negative): for
  ``confidence_police`` 1 = very confident, 2 = fairly confident, 3 = neither,
  4 = not very confident, 5 = not at all confident ("confident" = 1 or 2).
- Don't know = -8 and refused = -9 (settings sheet), offered on sensitive items only.
- ``size_band``: 1 = micro (0-9 employees), 2 = small (10-49), 3 = medium (50-249),
  4 = large (250+).
- the crime types and the ``victim_*`` flags calculated from them, and the flags analysis
  derives from the answers, are defined once in ``bas_variables.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from questionnaires.forms_data.bas_variables import CRIME_TYPES as BAS_CRIME_TYPES  # noqa: E402
from questionnaires.forms_data.bas_variables import FRAUD, ONLINE  # noqa: E402

EN = "English (en)"
SURVEY_COLUMNS = ["type", "name", f"label::{EN}", f"hint::{EN}",
                  f"interviewer_instruction::{EN}", "required", "relevant", "constraint",
                  f"constraint_message::{EN}", "calculation", "choice_filter", "repeat_count",
                  "dont_know", "refused", "default"]
CHOICE_COLUMNS = ["list_name", "name", f"label::{EN}", "category", "channel"]

BOROUGHS = [
    "City of London", "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley",
    "Camden", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
    "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
]
SIC_SECTIONS = [
    ("A", "Agriculture, forestry and fishing"),
    ("B", "Mining and quarrying"),
    ("C", "Manufacturing"),
    ("D", "Electricity, gas, steam and air conditioning supply"),
    ("E", "Water supply; sewerage, waste management and remediation"),
    ("F", "Construction"),
    ("G", "Wholesale and retail trade; repair of motor vehicles"),
    ("H", "Transportation and storage"),
    ("I", "Accommodation and food service activities"),
    ("J", "Information and communication"),
    ("K", "Financial and insurance activities"),
    ("L", "Real estate activities"),
    ("M", "Professional, scientific and technical activities"),
    ("N", "Administrative and support service activities"),
    ("O", "Public administration and defence"),
    ("P", "Education"),
    ("Q", "Human health and social work activities"),
    ("R", "Arts, entertainment and recreation"),
    ("S", "Other service activities"),
    ("T", "Activities of households as employers"),
    ("U", "Activities of extraterritorial organisations"),
]
# name, wording, category (physical / fraud / online), from the one definition
CRIME_TYPES = [(c.name, c.wording, c.category) for c in BAS_CRIME_TYPES]


def q(type_: str, name: str, label: str = "", **kw: str) -> dict[str, str]:
    """One survey row; keyword names follow the column names (instruction, message, calc)."""
    row = {"type": type_, "name": name, f"label::{EN}": label}
    renames = {"hint": f"hint::{EN}", "instruction": f"interviewer_instruction::{EN}",
               "message": f"constraint_message::{EN}", "calc": "calculation"}
    for key, value in kw.items():
        row[renames.get(key, key)] = value
    return row


def dkref(**kw: str) -> dict[str, str]:
    return {"dont_know": "yes", "refused": "yes", **kw}


def any_selected(source: str, names: Sequence[str]) -> str:
    return " or ".join(f"selected(${{{source}}}, '{n}')" for n in names)


def crime_answered(source: str = "crime_types") -> str:
    return f"${{{source}}} != -8 and ${{{source}}} != -9 and ${{{source}}} != ''"


def survey_rows() -> list[dict[str, str]]:
    rows = screener() + attitudes() + victimisation() + prevention() + close()
    return rows


def screener() -> list[dict[str, str]]:
    return [
        q("note", "intro", "Good morning / afternoon. My name is ... and I am calling from the "
          "research agency on behalf of the Mayor's Office for Policing And Crime (MOPAC). We are "
          "carrying out the London Business Attitudes Survey about crime and policing as it "
          "affects businesses. The interview takes about 30 minutes and everything you say is "
          "confidential.", instruction="If asked: the survey is voluntary; results are only "
          "published as statistics and no business is identified."),
        q("begin group", "screener", "Screener"),
        q("select_one right_person", "right_person", "Am I speaking to the owner or a manager "
          "responsible for this business at this site?", required="yes",
          instruction="If not, ask to speak to the owner or manager. Code 3 to arrange a call "
          "back."),
        q("note", "screen_out_person", "Thank you. I will call back at a more convenient time.",
          relevant="${right_person} != 1",
          instruction="Arrange the call back in the call record and end the call."),
        q("select_one role", "respondent_role", "What is your role in the business?",
          relevant="${right_person} = 1", required="yes"),
        q("select_one yes_no", "london_address", "Is the business currently trading from an "
          "address in London?", relevant="${right_person} = 1", required="yes",
          instruction="Trading includes seasonal businesses open in the last 12 months."),
        q("select_one borough", "borough", "Which London borough is the business's address "
          "in?", relevant="${london_address} = 1", required="yes",
          instruction="Confirm the borough shown in the sample record; if the business has "
          "moved, code the borough of the current address."),
        q("select_one sector", "sector", "Which of these best describes the main activity of "
          "the business at this site?", relevant="${london_address} = 1", required="yes",
          instruction="Confirm the sector shown in the sample record. Read out only if "
          "needed."),
        q("integer", "employees", "Including yourself, how many people work for the business "
          "at this site, full or part time?", relevant="${london_address} = 1", required="yes",
          constraint=". >= 1 and . <= 100000",
          message="Enter a number from 1 to 100,000.",
          instruction="Include owners, partners and part-time staff.", **dkref()),
        q("select_one employee_band", "employees_band", "Could you tell me roughly how many "
          "people work for the business at this site?",
          relevant="${employees} = -8 or ${employees} = -9", required="yes",
          instruction="Read out the bands.", **dkref()),
        q("calculate", "size_band", "Business size band (1 micro, 2 small, 3 medium, 4 large)",
          calc="if(${employees} >= 1, if(${employees} < 10, 1, if(${employees} < 50, 2, "
          "if(${employees} < 250, 3, 4))), "
          "if(${employees_band} >= 1, number(${employees_band}), ''))"),
        q("select_one years_trading", "years_trading", "How long has the business been trading "
          "at this address?", relevant="${london_address} = 1", **dkref()),
        q("calculate", "eligible", "Eligible business (1 yes, 0 no)",
          calc="if(${right_person} = 1 and ${london_address} = 1, 1, 0)"),
        q("note", "screen_out_address", "Thank you for your time. This survey is only for "
          "businesses trading in London, so I do not need to ask you any more questions.",
          relevant="${london_address} = 2"),
        q("end group", ""),
    ]


def attitudes() -> list[dict[str, str]]:
    agree = [
        ("police_understand", "The police in this area understand the issues that affect "
         "businesses like yours."),
        ("police_priorities", "The police are dealing with the things that matter to "
         "businesses in this area."),
        ("police_fair", "The police treat businesses in this area fairly."),
        ("police_relied_on", "The police in this area can be relied on to be there when you "
         "need them."),
        ("police_informed", "The police keep businesses in this area informed about what "
         "they are doing."),
    ]
    rows = [
        q("begin group", "attitudes", "Attitudes to policing", relevant="${eligible} = 1"),
        q("select_one confidence5", "confidence_police", "If your business reported a crime "
          "to the police, how confident are you that the police would respond effectively?",
          required="yes", instruction="Read out 1 to 5.", **dkref()),
        q("note", "agree_intro", "I am going to read out some statements about the police in "
          "the area around your business. For each, please tell me how much you agree or "
          "disagree."),
    ]
    rows += [q("select_one agree5", name, text, required="yes",
               instruction="Read out the scale if needed.", **dkref()) for name, text in agree]
    rows += [
        q("select_one visibility", "police_visible", "How often do you see police officers or "
          "PCSOs on foot patrol near your business?", required="yes", **dkref()),
        q("select_one yes_no", "know_snt", "Do you know how to contact your local Safer "
          "Neighbourhood Team?", required="yes", **dkref()),
        q("select_one problem4", "crime_problem", "How much of a problem is crime in the area "
          "around your business?", required="yes", **dkref()),
        q("select_one problem4", "asb_problem", "And how much of a problem is anti-social "
          "behaviour, such as rowdiness, drug dealing, begging or street drinking?",
          required="yes", **dkref()),
        q("select_one change3", "crime_change", "Compared with a year ago, do you think there "
          "is more, less or about the same amount of crime around your business?",
          required="yes", **dkref()),
        q("end group", ""),
    ]
    return rows


def victimisation() -> list[dict[str, str]]:
    rows = [
        q("begin group", "victimisation", "Crime against the business",
          relevant="${eligible} = 1"),
        q("note", "victim_intro", "Now some questions about crimes the business may have "
          "experienced at this site in the last 12 months, that is since the same month last "
          "year. Please include incidents whether or not they were reported to the police."),
        q("select_multiple crime_type", "crime_types", "In the last 12 months, has the "
          "business experienced any of the following at this site?", required="yes",
          constraint="not(selected(., 'none') and count-selected(.) > 1)",
          message="'None of these' cannot be combined with a crime type.",
          instruction="Read out each type in turn. Code all that apply.", **dkref()),
    ]
    answered = crime_answered()
    for name, label, _ in CRIME_TYPES:
        rows.append(q("calculate", f"victim_{name}", f"Victim of {label} (1 yes, 0 no)",
                      calc=f"if({answered}, if(selected(${{crime_types}}, '{name}'), 1, 0), '')"))
    rows += [
        q("calculate", "victim_online", "Victim of any online crime (1 yes, 0 no)",
          calc=f"if({answered}, if({any_selected('crime_types', ONLINE)}, 1, 0), '')"),
        q("calculate", "victim_fraud", "Victim of any fraud, offline or online (1 yes, 0 no)",
          calc=f"if({answered}, if({any_selected('crime_types', FRAUD)}, 1, 0), '')"),
        q("calculate", "victim_any", "Victim of any crime type (1 yes, 0 no)",
          calc=f"if({answered}, if(count-selected(${{crime_types}}) > 0 and "
          "not(selected(${crime_types}, 'none')), 1, 0), '')"),
        q("begin repeat", "crime_detail", "Details for each type of crime experienced",
          relevant="${victim_any} = 1", repeat_count="count-selected(${crime_types})"),
        q("calculate", "crime_channel", "Where this crime type can be reported",
          calc="if(" + " or ".join(f"${{crime_detail}} = '{n}'" for n in FRAUD + ONLINE)
          + ", 'action_fraud', 'police')"),
        q("integer", "incidents", "Thinking about ${crime_detail}: how many times has this "
          "happened to the business in the last 12 months?", required="yes",
          constraint=". >= 1 and . <= 999", message="Enter a number from 1 to 999.",
          instruction="If unsure, ask for a best estimate.", **dkref()),
        q("decimal", "cost", "Roughly how much did ${crime_detail} cost the business in the "
          "last 12 months, in pounds, including losses, damage, repairs and lost trade?",
          required="yes", constraint=". >= 0 and . <= 10000000",
          message="Enter an amount from 0 to 10,000,000 pounds.",
          hint="Whole pounds; 0 if no cost.", **dkref()),
        q("select_one reported", "reported", "Were any of these incidents reported to the "
          "police or to Action Fraud?", required="yes",
          choice_filter="channel = 'all' or channel = ${crime_channel}",
          instruction="Action Fraud is the national reporting centre for fraud and cyber "
          "crime.", **dkref()),
        q("select_one satisfaction5", "report_satisfaction", "How satisfied or dissatisfied "
          "were you with how your report of ${crime_detail} was dealt with?",
          relevant="${reported} = 1 or ${reported} = 2 or ${reported} = 3", required="yes",
          **dkref()),
        q("select_multiple not_reported_reason", "not_reported_reasons", "Why were these "
          "incidents not reported?", relevant="${reported} = 4", required="yes",
          instruction="Do not read out. Code all that apply.", **dkref()),
        q("end repeat", ""),
        q("end group", ""),
    ]
    return rows


def prevention() -> list[dict[str, str]]:
    return [
        q("begin group", "prevention", "Crime prevention", relevant="${eligible} = 1"),
        q("select_multiple prevention_measure", "prevention_measures", "Which of these crime "
          "prevention measures does the business have at this site?", required="yes",
          constraint="not(selected(., 'none') and count-selected(.) > 1)",
          message="'None of these' cannot be combined with a measure.",
          instruction="Read out. Code all that apply.", **dkref()),
        q("select_one yes_no", "advice_received", "In the last 12 months, has the business "
          "received any crime prevention advice from the police or another organisation?",
          required="yes", **dkref()),
        q("select_one yes_no", "advice_taken_up", "Has the business acted on any of that "
          "advice?", relevant="${advice_received} = 1", required="yes", **dkref()),
        q("select_one cyber_essentials", "cyber_essentials", "Does the business hold Cyber "
          "Essentials or Cyber Essentials Plus certification, the government-backed scheme "
          "for protecting against common cyber attacks?", required="yes", **dkref()),
        q("select_one yes_no", "action_fraud_aware", "Before today, had you heard of Action "
          "Fraud, the national reporting centre for fraud and cyber crime?", required="yes",
          **dkref()),
        q("end group", ""),
    ]


def close() -> list[dict[str, str]]:
    return [
        q("begin group", "close", "Close", relevant="${eligible} = 1"),
        q("select_one yes_no", "recontact", "MOPAC may want to do further research on these "
          "topics. Would you be willing to be contacted again about research on business "
          "crime?", required="yes", **dkref()),
        q("text", "comments", "Finally, is there anything else you would like to tell the "
          "Mayor's Office about crime or policing as it affects your business?",
          instruction="Record verbatim. Do not record names or contact details."),
        q("note", "thank_you", "That is the end of the interview. Thank you very much for your "
          "time. If you would like advice on crime prevention, visit the Metropolitan "
          "Police website or Action Fraud."),
        q("end group", ""),
    ]


def choice_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def add(list_name: str, items: list[tuple[str, str]], **extra: dict[str, str]) -> None:
        for name, label in items:
            row = {"list_name": list_name, "name": name, f"label::{EN}": label}
            for column, values in extra.items():
                row[column] = values.get(name, "")
            rows.append(row)

    add("yes_no", [("1", "Yes"), ("2", "No")])
    add("right_person", [("1", "Yes, owner or manager"), ("2", "No, transferred to them"),
                         ("3", "No, call back later")])
    add("role", [("1", "Owner or partner"), ("2", "Managing director or chief executive"),
                 ("3", "Site or branch manager"), ("4", "Other manager")])
    add("borough", [(f"E09{i:06d}", name) for i, name in enumerate(BOROUGHS, start=1)])
    add("sector", SIC_SECTIONS)
    add("employee_band", [("1", "Fewer than 10"), ("2", "10 to 49"), ("3", "50 to 249"),
                          ("4", "250 or more")])
    add("years_trading", [("1", "Less than a year"), ("2", "1 to 5 years"),
                          ("3", "6 to 10 years"), ("4", "More than 10 years")])
    add("confidence5", [("1", "Very confident"), ("2", "Fairly confident"),
                        ("3", "Neither confident nor unconfident"), ("4", "Not very confident"),
                        ("5", "Not at all confident")])
    add("agree5", [("1", "Strongly agree"), ("2", "Tend to agree"),
                   ("3", "Neither agree nor disagree"), ("4", "Tend to disagree"),
                   ("5", "Strongly disagree")])
    add("visibility", [("1", "At least daily"), ("2", "At least weekly"),
                       ("3", "At least monthly"), ("4", "Less often"), ("5", "Never")])
    add("problem4", [("1", "A very big problem"), ("2", "A fairly big problem"),
                     ("3", "Not a very big problem"), ("4", "Not a problem at all")])
    add("change3", [("1", "More crime"), ("2", "About the same"), ("3", "Less crime")])
    add("crime_type", [(n, label[0].upper() + label[1:]) for n, label, _ in CRIME_TYPES]
        + [("none", "None of these")],
        category={n: cat for n, _, cat in CRIME_TYPES})
    add("reported", [("1", "Yes, to the police"), ("2", "Yes, to Action Fraud"),
                     ("3", "Yes, to both"), ("4", "No, not reported")],
        channel={"1": "all", "2": "action_fraud", "3": "action_fraud", "4": "all"})
    add("satisfaction5", [("1", "Very satisfied"), ("2", "Fairly satisfied"),
                          ("3", "Neither satisfied nor dissatisfied"),
                          ("4", "Fairly dissatisfied"), ("5", "Very dissatisfied")])
    add("not_reported_reason", [
        ("too_trivial", "Too trivial or not worth reporting"),
        ("police_no_action", "Police could not or would not do anything"),
        ("internal", "Dealt with it within the business"),
        ("insurer_bank", "Reported to the bank, insurer or platform instead"),
        ("not_know_how", "Did not know how or where to report"),
        ("too_long", "Reporting takes too long"),
        ("reprisal", "Fear of reprisal or of harming the business's reputation"),
        ("other", "Other reason")])
    add("prevention_measure", [
        ("cctv", "CCTV"), ("alarm", "Burglar or intruder alarm"),
        ("shutters", "Shutters, grilles or reinforced doors"),
        ("security_staff", "Security guards or door staff"),
        ("locks", "Secure locks or access control"),
        ("firewall", "Firewall or anti-virus software"),
        ("two_factor", "Two-factor authentication on accounts"),
        ("backups", "Regular data backups"),
        ("staff_training", "Staff training on fraud or cyber security"),
        ("none", "None of these")])
    add("cyber_essentials", [("1", "Yes, Cyber Essentials"), ("2", "Yes, Cyber Essentials Plus"),
                             ("3", "No, but have heard of it"), ("4", "No, never heard of it")])
    return rows


SETTINGS = {"form_title": "London Business Attitudes Survey (BAS)", "form_id": "bas",
            "version": "2025.1", "default_language": EN, "dont_know": -8, "refused": -9}


def build(target: Path) -> Path:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    _write(survey, SURVEY_COLUMNS, survey_rows())
    _write(wb.create_sheet("choices"), CHOICE_COLUMNS, choice_rows())
    _write(wb.create_sheet("settings"), list(SETTINGS), [SETTINGS])
    wb.save(target)
    return target


def _write(ws, columns: list[str], rows: list[dict]) -> None:
    ws.append(columns)
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"unknown columns {sorted(unknown)} in row {row}")
        ws.append([row.get(c, "") if row.get(c, "") != "" else None for c in columns])


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name(
        "bas_questionnaire.xlsx")
    print(build(out))
