// Nothing to do yet: the check is the post step, which runs after the action's own post steps.
console.log('The check runs after the post steps of the steps that follow.');
