"""The fixed tags every archive has, with the exact names of the largest archive."""

RATINGS = (
    # (name, adult): adult ratings put a work behind the adult-content gate.
    ("Not Rated", True),
    ("General Audiences", False),
    ("Teen And Up Audiences", False),
    ("Mature", True),
    ("Explicit", True),
)
ARCHIVE_WARNINGS = (
    "Creator Chose Not To Use Archive Warnings",
    "No Archive Warnings Apply",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
)
# The largest archive's internal name for the first warning, accepted as a synonym.
WARNING_SYNONYMS = {
    "Choose Not To Use Archive Warnings": "Creator Chose Not To Use Archive Warnings"
}
CATEGORIES = ("Gen", "F/M", "M/M", "F/F", "Multi", "Other")
# The media that fandoms sit under (the largest archive's "Fandoms" menu); a canonical fandom
# without one is listed under the last.
MEDIA = (
    "Anime & Manga",
    "Books & Literature",
    "Cartoons & Comics & Graphic Novels",
    "Celebrities & Real People",
    "Movies",
    "Music & Bands",
    "Other Media",
    "Theater",
    "TV Shows",
    "Video Games",
)
UNCATEGORIZED_MEDIA = "Uncategorized Fandoms"
