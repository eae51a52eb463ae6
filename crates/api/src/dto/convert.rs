//! The mapping of stored and domain values onto wire types. It lives here because the wire crate
//! knows neither the domain nor the storage (and the orphan rule keeps `From` out of reach).

use inservice_domain::account::job_title_label;
use inservice_domain::course::{Contact, CourseInput, SessionInput};
use inservice_domain::taxonomy;
use inservice_persistence::accounts::Account;
use inservice_persistence::reference as records;
use inservice_wire::*;

/// Builds a wire type from a stored or domain value (`From`, for types of other crates).
pub trait FromStored<S> {
    fn from_stored(value: S) -> Self;
}

/// The other direction of [`FromStored`], as `Into` is of `From`.
pub trait IntoWire<W> {
    fn into_wire(self) -> W;
}

impl<S, W: FromStored<S>> IntoWire<W> for S {
    fn into_wire(self) -> W {
        W::from_stored(self)
    }
}

impl FromStored<Account> for MeDto {
    fn from_stored(a: Account) -> Self {
        MeDto {
            has_serving_unit: a.unit.is_some(),
            requested_unit_code: a.requested_unit_code,
            id: a.id,
            account_name: a.account_name,
            kind: a.kind.code().to_owned(),
            status: a.status.code().to_owned(),
            real_name: a.real_name,
            identity_masked: a.identity_masked,
            birth_date: a.birth_date,
            gender: a.gender.map(|g| g.code().to_owned()),
            email: a.email,
            phone: a.phone,
            unit: a.unit.map(|u| AccountUnitDto {
                code: u.code,
                name: u.name,
                kind: u.kind.code().to_owned(),
            }),
            account_type: a.account_type.map(|t| t.code().to_owned()),
            account_type_label: a.account_type.map(|t| t.label().to_owned()),
            job_title: a.job_title.map(|code| JobTitleDto {
                label: job_title_label(&code).unwrap_or_default().to_owned(),
                code,
            }),
            subjects: a.subjects,
            personal_number: a.personal_number,
            created_at: a.created_at,
            last_login_at: a.last_login_at,
            pending_email: None,
        }
    }
}

impl FromStored<Account> for BusinessAccountDto {
    fn from_stored(a: Account) -> Self {
        BusinessAccountDto {
            id: a.id,
            account_name: a.account_name,
            real_name: a.real_name,
            identity_masked: a.identity_masked,
            email: a.email,
            phone: a.phone,
            unit: a.unit.map(|u| AccountUnitDto {
                code: u.code,
                name: u.name,
                kind: u.kind.code().to_owned(),
            }),
            account_type: a.account_type.map(|t| t.code().to_owned()),
            account_type_label: a.account_type.map(|t| t.label().to_owned()),
            status: a.status.code().to_owned(),
            status_reason: a.status_reason,
            created_at: a.created_at,
            last_login_at: a.last_login_at,
        }
    }
}

impl FromStored<Account> for UnitTeacherDto {
    fn from_stored(a: Account) -> Self {
        UnitTeacherDto {
            id: a.id,
            account_name: a.account_name,
            real_name: a.real_name,
            identity_masked: a.identity_masked,
            personal_number: a.personal_number,
            job_title: a.job_title.map(|code| JobTitleDto {
                label: job_title_label(&code).unwrap_or_default().to_owned(),
                code,
            }),
            subjects: a.subjects,
            email: a.email,
            phone: a.phone,
            unit_code: a.unit.map(|u| u.code),
            last_login_at: a.last_login_at,
        }
    }
}

/// The registration form as the domain validates it.
pub fn course_input(dto: CourseFormDto) -> CourseInput {
    CourseInput {
        class_type: dto.class_type,
        credits: dto.credits,
        nature: dto.nature,
        document_number: dto.document_number,
        name: dto.name,
        tag_ids: dto.tag_ids,
        subject_area: dto.subject_area,
        category: dto.category,
        items: dto.items,
        level: dto.level,
        instructor_name: dto.instructor_name,
        instructor_kind: dto.instructor_kind,
        outline: dto.outline,
        modes: dto.modes,
        mode_other: dto.mode_other,
        remote_software: dto.remote_software,
        remote_software_other: dto.remote_software_other,
        time_slots: dto.time_slots,
        hours: dto.hours,
        target_stages: dto.target_stages,
        target_titles: dto.target_titles,
        target_title_other: dto.target_title_other,
        registration_opens_at: dto.registration_opens_at,
        registration_closes_at: dto.registration_closes_at,
        sessions: dto
            .sessions
            .into_iter()
            .map(|s| SessionInput {
                date: s.date,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
            })
            .collect(),
        venue: dto.venue,
        schedule_note: dto.schedule_note,
        funding_sources: dto.funding_sources,
        subsidy_amount: dto.subsidy_amount,
        fee_kind: dto.fee_kind,
        fee_amount: dto.fee_amount,
        classes: dto.classes,
        places_per_class: dto.places_per_class,
        contacts: dto
            .contacts
            .into_iter()
            .map(|c| Contact {
                name: c.name,
                phone: c.phone,
                email: c.email,
            })
            .collect(),
        feedback: dto.feedback,
        allocation: dto.allocation,
        review_enrollments: dto.review_enrollments,
    }
}

impl FromStored<records::County> for CountyDto {
    fn from_stored(c: records::County) -> Self {
        CountyDto {
            code: c.code,
            name: c.name,
            name_en: c.name_en,
        }
    }
}

impl FromStored<records::Unit> for UnitDto {
    fn from_stored(u: records::Unit) -> Self {
        UnitDto {
            code: u.code,
            name: u.name,
            kind: u.kind.code().to_owned(),
            kind_label: u.kind.label().to_owned(),
            is_regional_centre: u.kind.is_regional_centre(),
            county: u.county.map(IntoWire::into_wire),
            parent_code: u.parent_code,
            ownership: u.ownership.code().to_owned(),
            reviewer_code: u.reviewer_code,
            address: u.address,
            phone: u.phone,
            email: u.email,
            status: u.status,
            successor_code: u.successor_code,
            closed_on: u.closed_on,
        }
    }
}

impl FromStored<taxonomy::Category> for TaxonomyCategoryDto {
    fn from_stored(c: taxonomy::Category) -> Self {
        TaxonomyCategoryDto {
            code: c.code,
            name: c.name,
            subcategories: c
                .subcategories
                .into_iter()
                .map(|s| TaxonomySubcategoryDto {
                    code: s.code,
                    name: s.name,
                    items: s
                        .items
                        .into_iter()
                        .map(|i| TaxonomyItemDto {
                            code: i.code,
                            name: i.name,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl FromStored<records::Level> for LevelDto {
    fn from_stored(l: records::Level) -> Self {
        LevelDto {
            code: l.code,
            name: l.name,
            verbs: l.verbs,
            definition: l.definition,
            verb_definitions: l.verb_definitions,
            suggested_participants: l.suggested_participants,
            example_course_code: l.example_course_code,
            example_course_name: l.example_course_name,
        }
    }
}

impl FromStored<records::AttributeTag> for TagDto {
    fn from_stored(t: records::AttributeTag) -> Self {
        TagDto {
            status: if t.retired_on.is_some() {
                "retired"
            } else {
                "active"
            }
            .to_owned(),
            id: t.id,
            name: t.name,
            definition: t.definition,
            added_on: t.added_on,
            retired_on: t.retired_on,
            definition_updated_on: t.definition_updated_on,
            source: t.source,
        }
    }
}
