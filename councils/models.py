"""The tenant (Council), its teams, people's memberships and roles, audit and rule packs.

Every council-owned model carries a ``council`` foreign key and a django-scopes
``ScopedManager``: a query outside ``scope(council=...)`` raises, so forgetting a
``filter(council=...)`` cannot leak rows across councils.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "Use lower-case words joined by hyphens."
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Belongs to councils through ``Membership``.

    ``is_staff`` marks platform operators, the only people who reach the Django admin.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform operator: may use the admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ServiceArea(models.TextChoices):
    CHILDREN = "children", "Children's services"
    ADULTS = "adults", "Adult social care"


class Council(models.Model):
    """The tenant. Its slug prefixes every URL of the council (domain.md section 5)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True)
    slug = models.SlugField(max_length=60, unique=True, validators=[slug_validator])
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    bank_holiday_region = models.CharField(
        max_length=20, default="ENG", help_text="UK subdivision for bank holidays: ENG, SCT, NIR."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CouncilOwned(models.Model):
    """Abstract base: a row that belongs to exactly one council, reachable only in its scope."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(council="council")

    class Meta:
        abstract = True


class Team(CouncilOwned):
    """A team of a council. Tags drive rules (``fast``, ``cwd``, ``asye-unsuitable``...)."""

    name = models.CharField(max_length=200)
    tags = models.JSONField(default=list, blank=True, help_text="Rule tags, e.g. fast, cwd.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="team_unique_name_per_council")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles a membership can hold; the slugs are the rule packs' role slugs (domain.md §5)."""

    SOCIAL_WORKER = "social-worker", "Social worker"
    LINE_MANAGER = "line-manager", "Line manager"
    PRACTICE_SUPERVISOR = "practice-supervisor", "Practice supervisor"
    PRACTICE_LEAD = "practice-lead", "Practice lead"
    CASE_SUPERVISOR = "case-supervisor", "Case supervisor"
    TEAM_MANAGER = "team-manager", "Team manager"
    SERVICE_MANAGER = "service-manager", "Service manager"
    GROUP_MANAGER = "group-manager", "Group manager"
    PRINCIPAL_MANAGER = "principal-manager", "Principal manager"
    DIVISIONAL_MANAGER = "divisional-manager", "Divisional manager"
    OPERATIONAL_DIRECTOR = "operational-director", "Operational director"
    HEAD_OF_SERVICE = "head-of-service", "Head of service"
    ASSISTANT_DIRECTOR = "assistant-director", "Assistant director"
    STRATEGIC_MANAGER = "strategic-manager", "Strategic manager"
    PRINCIPAL_SOCIAL_WORKER = "principal-social-worker", "Principal social worker"
    ASYE_LEAD = "asye-lead", "ASYE lead or co-ordinator"
    ASSESSOR = "assessor", "Assessor"
    LEAD_ASSESSOR = "lead-assessor", "Lead assessor"
    ADVANCED_PRACTITIONER = "advanced-practitioner", "Advanced practitioner"
    SENIOR_SOCIAL_WORKER = "senior-social-worker", "Senior social worker"
    PRACTICE_MANAGER_SWPD = (
        "practice-manager-swpd", "Practice manager, SW professional development"
    )
    UNIVERSITY_REPRESENTATIVE = "university-representative", "University representative"
    LEARNING_AND_DEVELOPMENT = "learning-and-development", "Learning and development"
    PANEL_MEMBER = "panel-member", "Panel member"
    PANEL_CHAIR = "panel-chair", "Panel chair"
    HR = "hr", "HR"
    COUNCIL_ADMIN = "council-admin", "Council administrator"


# Roles that manage other people's progression (line management chain and its equivalents).
MANAGER_ROLES = frozenset(
    {
        Role.LINE_MANAGER, Role.PRACTICE_SUPERVISOR, Role.PRACTICE_LEAD, Role.CASE_SUPERVISOR,
        Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.GROUP_MANAGER, Role.PRINCIPAL_MANAGER,
        Role.DIVISIONAL_MANAGER,
    }
)


class Membership(CouncilOwned):
    """A person's place in one council: team, line manager, roles. Never deleted, only ended."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="memberships")
    line_manager = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="reports")
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"], name="membership_unique_per_council"
            ),
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("id")), name="membership_not_own_line_manager"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(deactivated_at__isnull=False),
                name="membership_deactivation_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.council_id})"


class RoleAssignment(CouncilOwned):
    """One role held by a membership. A row per role keeps role queries indexable."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "role"], name="role_unique_per_membership"
            )
        ]
        indexes = [models.Index(fields=["council", "role"])]

    def __str__(self) -> str:
        return self.get_role_display()


class AuditEvent(CouncilOwned):
    """Who did what to whom, when. Rows are written once and never updated or deleted."""

    action = models.CharField(max_length=100, help_text="Dotted name, e.g. portfolio.submitted.")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    affected_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["council", "action"]),
                   models.Index(fields=["council", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        # Append-only: an existing audit row is never rewritten.
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are never deleted.")


class RulePackVersion(CouncilOwned):
    """A council's rule pack as loaded: validated content, its digest and ``effective_from``.

    A case stores the version it started under; a new version applies to later cases.
    """

    version = models.CharField(max_length=40)
    effective_from = models.DateField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical content.")
    content = models.JSONField(help_text="The validated pack, as plain data.")
    source = models.TextField(help_text="The YAML as loaded, for the record.")
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    class Meta:
        ordering = ["-effective_from", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["council", "digest"], name="rulepack_unique_digest"),
            models.UniqueConstraint(fields=["council", "version"], name="rulepack_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.version} from {self.effective_from}"


class Framework(models.Model):
    """Versioned reference framework (KSS child and family, KSS adults, PCF). Not tenant-owned."""

    slug = models.SlugField(max_length=60, validators=[slug_validator])
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["slug", "version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class FrameworkItem(models.Model):
    """One statement, domain or level of a framework, e.g. KSS 5 or PCF domain 6."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", "Statement"
        DOMAIN = "domain", "Domain"
        LEVEL = "level", "Level"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=60, help_text="Number or slug, e.g. 5 or knowledge.")
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "kind", "code"],
                                    name="framework_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"
