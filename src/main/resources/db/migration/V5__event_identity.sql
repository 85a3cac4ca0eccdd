-- Event identity is the CloudEvent's (source, id) pair: every inbox, analytics and the order
-- timeline key events by both, in columns of their own (no joined string to split again).
--
-- Rows written before this migration do not know their event's source. Intake's rows held
-- "<source> <id>": they are split at the first space (a CloudEvent source is a URI-reference, which
-- has no space). Every other row gets the explicit marker 'urn:eventhub:legacy-unknown-source'
-- (io.eventhub.delivery.EventIdentity.LEGACY_SOURCE): a claim of (service, source, id) finds such a
-- row by service and id, whatever the source, so an event handled before the upgrade is not handled
-- again when it is redelivered or replayed afterwards.

alter table inbox add column source text;
update inbox
   set source   = split_part(event_id, ' ', 1),
       event_id = substr(event_id, strpos(event_id, ' ') + 1)
 where service = 'intake' and strpos(event_id, ' ') > 1;
update inbox set source = 'urn:eventhub:legacy-unknown-source' where source is null;
alter table inbox alter column source set not null;
alter table inbox drop constraint inbox_pkey;
alter table inbox add primary key (service, source, event_id);
-- the legacy rows are found by (service, event_id)
create index inbox_legacy on inbox (service, event_id)
 where source = 'urn:eventhub:legacy-unknown-source';

alter table profile_changes add column source text not null
      default 'urn:eventhub:legacy-unknown-source';
alter table profile_changes alter column source drop default;
alter table profile_changes drop constraint profile_changes_pkey;
alter table profile_changes add primary key (source, event_id);
create index profile_changes_legacy on profile_changes (event_id)
 where source = 'urn:eventhub:legacy-unknown-source';

alter table order_timeline add column source text not null
      default 'urn:eventhub:legacy-unknown-source';
alter table order_timeline alter column source drop default;
alter table order_timeline drop constraint order_timeline_pkey;
alter table order_timeline add primary key (order_id, source, event_id);
