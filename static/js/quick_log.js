// The quick log: picking an in-house guest fills their room (the server fills it too when left
// empty), and the cursor moves on to what is still to say.
(function () {
  "use strict";
  const form = document.querySelector("[data-testid=log-form]");
  if (!form) return;
  const room = form.querySelector("[name=room_number]");
  let filled = "";  // the room this script wrote, replaced when another guest is picked
  form.addEventListener("change", function (event) {
    const radio = event.target;
    if (!radio || radio.name !== "guest") return;
    const guestRoom = radio.dataset.room || "";
    if (room && (room.value === "" || room.value === filled)) {
      room.value = guestRoom;
      filled = guestRoom;
    }
    const category = form.querySelector("[name=category]");
    if (category && !category.value) category.focus();
  });
})();
