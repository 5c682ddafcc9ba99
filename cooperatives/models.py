"""The cooperative app's models live in its feature packages; importing them here registers
them with Django under the app label ``cooperatives`` (migrations stay in
cooperatives/migrations)."""

from cooperatives.joining.models import Application, Invitation
from cooperatives.members.models import EmailChange, Member, RoleAssignment
from cooperatives.rules.models import Rulebook
from cooperatives.setup.models import Cluster, Neighbourhood, Partner

__all__ = [
    "Application",
    "Cluster",
    "EmailChange",
    "Invitation",
    "Member",
    "Neighbourhood",
    "Partner",
    "RoleAssignment",
    "Rulebook",
]
