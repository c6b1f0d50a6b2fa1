# The tallies of marks per session (SessionTally) are kept by triggers on training_mark, in
# PostgreSQL and in SQLite alike: every writer of marks keeps them right.

from django.db import migrations, models
import django.db.models.deletion
from django.conf import settings

STATUSES = ("present", "late", "absent", "excused")

POSTGRES_UP = """
CREATE FUNCTION training_tally_refresh(sid bigint) RETURNS void AS $$
BEGIN
  -- One writer of a session's tally at a time: the count below, a statement of its own,
  -- then sees the marks of a transaction that committed while this one waited.
  PERFORM 1 FROM training_session WHERE id = sid FOR NO KEY UPDATE;
  IF EXISTS (SELECT 1 FROM training_mark WHERE session_id = sid) THEN
    INSERT INTO training_sessiontally (session_id, present, late, absent, excused)
    SELECT sid,
           count(*) FILTER (WHERE status = 'present'),
           count(*) FILTER (WHERE status = 'late'),
           count(*) FILTER (WHERE status = 'absent'),
           count(*) FILTER (WHERE status = 'excused')
    FROM training_mark WHERE session_id = sid
    ON CONFLICT (session_id) DO UPDATE SET present = EXCLUDED.present, late = EXCLUDED.late,
      absent = EXCLUDED.absent, excused = EXCLUDED.excused;
  ELSE
    DELETE FROM training_sessiontally WHERE session_id = sid;
  END IF;
END $$ LANGUAGE plpgsql;
CREATE FUNCTION training_mark_tally() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM training_tally_refresh(NEW.session_id); END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.session_id <> NEW.session_id) THEN
    PERFORM training_tally_refresh(OLD.session_id);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER training_mark_tally AFTER INSERT OR UPDATE OR DELETE ON training_mark
  FOR EACH ROW EXECUTE FUNCTION training_mark_tally();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS training_mark_tally ON training_mark;
DROP FUNCTION IF EXISTS training_mark_tally();
DROP FUNCTION IF EXISTS training_tally_refresh(bigint);
"""


def _sqlite_refresh(ref: str) -> str:
    counts = ", ".join(f"SUM(status = '{s}')" for s in STATUSES)
    return (
        f"DELETE FROM training_sessiontally WHERE session_id = {ref}.session_id; "
        "INSERT INTO training_sessiontally (session_id, present, late, absent, excused) "
        f"SELECT {ref}.session_id, {counts} FROM training_mark "
        f"WHERE session_id = {ref}.session_id HAVING COUNT(*) > 0;"
    )


SQLITE_UP = [
    f"CREATE TRIGGER training_mark_tally_insert AFTER INSERT ON training_mark BEGIN "
    f"{_sqlite_refresh('NEW')} END",
    f"CREATE TRIGGER training_mark_tally_update AFTER UPDATE ON training_mark BEGIN "
    f"{_sqlite_refresh('OLD')} {_sqlite_refresh('NEW')} END",
    f"CREATE TRIGGER training_mark_tally_delete AFTER DELETE ON training_mark BEGIN "
    f"{_sqlite_refresh('OLD')} END",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS training_mark_tally_{event}" for event in ("insert", "update", "delete")
]
# The marks already there, counted once.
FILL = (
    "INSERT INTO training_sessiontally (session_id, present, late, absent, excused) "
    "SELECT session_id, "
    + ", ".join(f"SUM(CASE WHEN status = '{s}' THEN 1 ELSE 0 END)" for s in STATUSES)
    + " FROM training_mark GROUP BY session_id"
)


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No attendance tally triggers for {vendor}")
    schema_editor.execute(FILL)


def triggers_drop(apps, schema_editor):
    statements = POSTGRES_DOWN if schema_editor.connection.vendor == "postgresql" else None
    if statements:
        schema_editor.execute(statements)
    else:
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SessionTally',
            fields=[
                ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='tally', serialize=False, to='training.session')),
                ('present', models.PositiveIntegerField(default=0)),
                ('late', models.PositiveIntegerField(default=0)),
                ('absent', models.PositiveIntegerField(default=0)),
                ('excused', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'attendance count of a session',
                'verbose_name_plural': 'attendance counts of sessions',
            },
        ),
        migrations.CreateModel(
            name='RoomCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=6, verbose_name='code')),
                ('valid_from', models.DateTimeField(verbose_name='valid from')),
                ('valid_until', models.DateTimeField(verbose_name='valid until')),
                ('created_at', models.DateTimeField()),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='room_code', to='training.session', verbose_name='session')),
            ],
            options={
                'verbose_name': 'room code',
                'verbose_name_plural': 'room codes',
                'constraints': [models.CheckConstraint(condition=models.Q(('valid_until__gt', models.F('valid_from'))), name='training_room_code_window')],
            },
        ),
        migrations.CreateModel(
            name='Signature',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('half_day', models.CharField(choices=[('am', 'Morning'), ('pm', 'Afternoon')], max_length=2, verbose_name='half-day')),
                ('method', models.CharField(choices=[('trainer_device', "On the trainer's phone"), ('own_device', 'On their own phone, with the room code')], max_length=16, verbose_name='signed')),
                ('image', models.BinaryField()),
                ('signed_at', models.DateTimeField(verbose_name='signed at')),
                ('collected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='collected by')),
                ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatures', to='training.enrolment', verbose_name='learner')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatures', to='training.session', verbose_name='session')),
            ],
            options={
                'verbose_name': 'attendance signature',
                'verbose_name_plural': 'attendance signatures',
                'ordering': ['session', 'enrolment', 'half_day'],
                'indexes': [models.Index(fields=['enrolment', 'session'], name='training_si_enrolme_185e38_idx')],
                'constraints': [models.UniqueConstraint(fields=('session', 'enrolment', 'half_day'), name='training_signature_once'), models.CheckConstraint(condition=models.Q(('half_day__in', ['am', 'pm'])), name='training_signature_half_day_known'), models.CheckConstraint(condition=models.Q(('method__in', ['trainer_device', 'own_device'])), name='training_signature_method_known')],
            },
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
