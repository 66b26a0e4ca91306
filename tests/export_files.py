"""Synthetic exports of years of training (never anyone's real data), for tests and the import bench."""

from __future__ import annotations

from datetime import date, datetime, timedelta

STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
)
HEVY_HEADER = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
    "weight_kg,reps,distance_km,duration_seconds,rpe"
)
LIFTS = (
    ("Squat (Barbell)", 60.0, 2.5),
    ("Romanian Deadlift (Barbell)", 50.0, 2.5),
    ("Pull Up", 0.0, 0.0),
    ("Calf Raise (Machine)", 40.0, 5.0),
    ("Bench Press (Barbell)", 40.0, 2.5),
)


def strong_rows(start: date, weeks: int, sets_per_lift: int = 3) -> list[str]:
    """Two workouts a week (Tue, Sat) from ``start``, each lift a warm-up then working sets, loads rising."""
    rows = [STRONG_HEADER]
    for week in range(weeks):
        for offset, name in ((1, "Legs A"), (5, "Legs B")):
            day = start + timedelta(weeks=week, days=offset)
            when = datetime(day.year, day.month, day.day, 18, 5, 0).strftime("%Y-%m-%d %H:%M:%S")
            for exercise, base, step in LIFTS:
                weight = base + step * (week // 4)
                load = f"{weight:g}" if weight else "0"
                rows.append(f"{when},{name},1h 5m,{exercise},W,{base / 2:g},8,0,0,,,")
                for n in range(1, sets_per_lift + 1):
                    rows.append(f"{when},{name},1h 5m,{exercise},{n},{load},5,0,0,,,8")
                rows.append(f"{when},{name},1h 5m,{exercise},Rest Timer,0,0,0,120,,,")
    return rows


def strong_file(start: date, weeks: int, sets_per_lift: int = 3) -> bytes:
    return ("\n".join(strong_rows(start, weeks, sets_per_lift)) + "\n").encode()


def hevy_file(start: date, weeks: int) -> bytes:
    rows = [HEVY_HEADER]
    for week in range(weeks):
        day = start + timedelta(weeks=week, days=2)
        when = f"{day.day} {day.strftime('%b %Y')}, 16:50"
        for exercise, base, step in LIFTS[:3]:
            weight = base + step * (week // 4)
            rows.append(f'"Lower","{when}","{when}","","{exercise}",,"",0,"warmup",{base / 2:g},8,,,')
            for n in range(1, 4):
                load = f"{weight:g}" if weight else ""
                rows.append(f'"Lower","{when}","{when}","","{exercise}",,"",{n},"normal",{load},5,,,8')
    return ("\n".join(rows) + "\n").encode()
