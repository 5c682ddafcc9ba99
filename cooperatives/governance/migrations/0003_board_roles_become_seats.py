"""The board and kascommissie roles were stored as roles; from now on they follow seats in the
cooperative's bodies. Every stored board or kascommissie role becomes a seat that started on
the day the role was given (chair, secretary and treasurer in the daily board; a general board
member in the general board; the kascommissie's member in the kascommissie), and the stored
role goes: the permission layer reads these roles only from seats active today."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

# role -> (body kind, position)
SEATS = {
    "board_chair": ("executive_board", "chair"),
    "board_secretary": ("executive_board", "secretary"),
    "board_treasurer": ("executive_board", "treasurer"),
    "board_general": ("general_board", "member"),
    "audit_committee": ("audit_committee", "member"),
}


def roles_to_seats(apps, schema_editor):
    RoleAssignment = apps.get_model("cooperatives", "RoleAssignment")
    Body = apps.get_model("governance", "Body")
    Seat = apps.get_model("governance", "Seat")
    bodies = {b.kind: b for b in Body.objects.exclude(kind="project_group")}
    stored = RoleAssignment.objects.filter(role__in=SEATS).select_related("member")
    for assignment in stored.order_by("assigned_at", "id"):
        kind, position = SEATS[assignment.role]
        start = timezone.localdate(assignment.assigned_at)
        member = assignment.member
        end = None
        if member.status != "active":
            # A member who left no longer sits anywhere: the term ended the day they left.
            left = timezone.localdate(member.left_at) if member.left_at else start
            end = max(left, start + dt.timedelta(days=1))
        # One seat per member per body: a second daily-board position (chair and treasurer
        # both stored) goes to the general board, where it gives the same rights.
        for body in (bodies[kind], bodies["general_board"]):
            if not Seat.objects.filter(body=body, member_id=member.pk).exists():
                Seat.objects.create(
                    body=body,
                    member_id=member.pk,
                    position=position,
                    start=start,
                    end=end,
                    created_by_id=assignment.assigned_by_id,
                )
                break
        assignment.delete()


def seats_to_roles(apps, schema_editor):
    RoleAssignment = apps.get_model("cooperatives", "RoleAssignment")
    Seat = apps.get_model("governance", "Seat")
    board = {"chair": "board_chair", "secretary": "board_secretary"}
    board |= {"treasurer": "board_treasurer", "member": "board_general"}
    today = timezone.localdate()
    for seat in Seat.objects.select_related("body"):
        if seat.body.kind in ("general_board", "executive_board"):
            role = board[seat.position]
        else:
            role = "audit_committee" if seat.body.kind == "audit_committee" else None
        if role and seat.start <= today and (seat.end is None or today < seat.end):
            RoleAssignment.objects.get_or_create(member_id=seat.member_id, role=role)

class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0002_standing_bodies_and_final_decisions"),
        ("cooperatives", "0002_accounts_language_and_email_change"),
    ]

    operations = [migrations.RunPython(roles_to_seats, seats_to_roles)]
