-- A redelivery (POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver) is a new delivery row of
-- the same event to the same endpoint, with its own attempts and outcome; this column names the
-- delivery it repeats, so the log tells a redelivery from the event's first delivery.
ALTER TABLE webhook_deliveries ADD COLUMN redelivery_of text;
