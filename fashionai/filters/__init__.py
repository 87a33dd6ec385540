"""The recommendation filters a team set in Fashion.AI's dashboard (issue 25), recorded and checked.

`model` holds them as data (per recommendation type), `check` says which shown products break them and what the
catalog cannot support, `store` keeps them as a team setting in the studio's database (changed by admins, each
change in the activity log).
"""

from fashionai.filters.check import BADGE, FilterCheck, check_filters, price_range_words
from fashionai.filters.model import FILTERED_EVENTS, DashboardFilters, Discount, FilterSettings, FiltersError

__all__ = ["BADGE", "FILTERED_EVENTS", "DashboardFilters", "Discount", "FilterCheck", "FilterSettings",
           "FiltersError", "check_filters", "price_range_words"]
