"""Dutch texts that a feature's page tests and its API tests both expect: messages of a
refusal, and the labels of buttons a person presses."""

# --- joining ------------------------------------------------------------------------------------

ALREADY_DECIDED = "Over deze aanmelding is al besloten."
INVITATION_GONE = "Deze uitnodiging is verlopen of al gebruikt. Vraag een nieuwe aan."
SAME_EMAIL = "Er is al een aanmelding of lidmaatschap met dit e-mailadres."
SAME_ADDRESS = "Er is al een aanmelding of lidmaatschap voor deze naam op dit adres."

# --- the marketplace: each house rule refuses a request in its own words ------------------------

HOUSE_RULES = {
    "too_long": "Een dienst duurt hoogstens 2 uur. Vraag hulp in kortere delen.",
    "too_many_open": (
        "U heeft al 1 open hulpvraag of dienst; volgens de spelregels kan dat er hoogstens 1 "
        "zijn. Rond die eerst af of trek hem in."
    ),
    "network_check": (
        "Voor een klus vragen we eerst: kunnen familie, vrienden of buren niet helpen? "
        "Bevestig dat, dan zoeken wij een vrijwilliger."
    ),
    "referred_to_partner": (
        "Een klus van meer dan 1,5 uur doen wij niet zelf: daarvoor hebben we afspraken met "
        "partners tegen een sociaal tarief. Neem contact op met: Buurtbedrijf Oost, Piet Klus, "
        "030 123 45 67, info@buurtbedrijf.example.nl."
    ),
    "retired": "Dit cluster is niet meer in gebruik.",
    "past": "Kies data vanaf vandaag.",
}
NOT_OPEN = "Deze hulpvraag heeft al een vrijwilliger of is gesloten."

# --- klussen ------------------------------------------------------------------------------------

CASH_BUTTON = "Ik heb het geld contant ontvangen"
ONLINE_BUTTON = "Betaal online met iDEAL"

# --- signing up a cooperative: (field, change to the sign-up, code, message) ---------------------

SIGN_UP_REFUSALS = [
    ("name", {"name": ""}, "required", "Vul de naam van de coöperatie in."),
    ("name", {"name": "x" * 121}, "too_long", "De naam mag hoogstens 120 tekens lang zijn."),
    ("slug", {"slug": ""}, "required", "Kies een subdomein voor uw coöperatie."),
    ("slug", {"slug": "ab"}, "too_short", "Het subdomein moet minstens 3 tekens lang zijn."),
    ("slug", {"slug": "a" * 41}, "too_long", "Het subdomein mag hoogstens 40 tekens lang zijn."),
    ("slug", {"slug": "wijk oost"}, "invalid_characters", "alleen kleine letters (a-z)"),
    ("slug", {"slug": "coöp"}, "invalid_characters", "alleen kleine letters (a-z)"),
    ("slug", {"slug": "wijk_oost"}, "invalid_characters", "alleen kleine letters (a-z)"),
    ("slug", {"slug": "-oost"}, "hyphen_edge", "niet met een streepje beginnen of eindigen"),
    ("slug", {"slug": "oost-"}, "hyphen_edge", "niet met een streepje beginnen of eindigen"),
    ("slug", {"slug": "www"}, "reserved", "Het subdomein 'www' is gereserveerd"),
    ("slug", {"slug": "admin"}, "reserved", "Het subdomein 'admin' is gereserveerd"),
    ("slug", {"slug": "API"}, "reserved", "Het subdomein 'api' is gereserveerd"),
    ("slug", {"slug": "alfa"}, "taken", "Het subdomein 'alfa' is al in gebruik"),
    ("slug", {"slug": "ALFA"}, "taken", "Het subdomein 'alfa' is al in gebruik"),
    (
        "board_member_name",
        {"board_member_name": " "},
        "required",
        "Vul de naam van het eerste bestuurslid in.",
    ),
    ("email", {"email": ""}, "required", "Vul een e-mailadres in."),
    ("email", {"email": "fatima-at-zuid"}, "invalid", "Vul een geldig e-mailadres in"),
    ("password", {"password": ""}, "required", "Kies een wachtwoord."),
    ("password", {"password": "kort1"}, "password_too_short", "Dit wachtwoord is te kort"),
    (
        "password",
        {"password": "wachtwoord"},
        "password_too_common",
        "Dit wachtwoord is te algemeen.",
    ),
    (
        "password",
        {"password": "8312645907"},
        "password_entirely_numeric",
        "Dit wachtwoord bevat alleen cijfers.",
    ),
    ("template", {"template": "onbekend"}, "invalid_choice", "Kies een van de sjablonen"),
]
